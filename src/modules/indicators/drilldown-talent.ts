import { type Ledger, personRoleLabels } from '../../indicators/ledger-schema.ts';
import type { PersonOrigin, SourcedPerson } from '../talent/people-list.ts';
import type { SourcedTraining, TrainingOrigin } from '../talent/training-list.ts';
import type { DrillTableSection } from './drilldown.schemas.ts';

/**
 * Where the trainings and people of the ledger the engine evaluated come from (issue 16): platform
 * sessions with their counted attendance and ledger trainings; people entered on the platform and
 * ledger people. The ledger contract carries none of this, so it is read beside the ledger and laid
 * against its rows one by one; the drill-down shows it, the counting stays the engine's.
 */
export type TalentOrigins = {
  /** One per `ledger.trainings` row, in its order; null when the two reads no longer agree. */
  trainings: readonly TrainingOrigin[] | null;
  /** One per `ledger.people` row, in its order; null when the two reads no longer agree. */
  people: readonly PersonOrigin[] | null;
  /** Whether the reader may open the session and people pages the rows link to. */
  links: { sessions: boolean; people: boolean };
  /** The county add-on's cross-border training target, shown in #11's drill-down. */
  crossBorder?: { catalogTitle: string; label: string; unit: string; min?: number };
};

type Cell = DrillTableSection['rows'][number]['cells'][string];
type Column = DrillTableSection['columns'][number];
export type OriginTable = {
  columns: Column[];
  cells: (item: never) => Record<string, Cell>;
  emptyText: string;
};

export const sourceLabels = {
  session: '平台培训场次',
  platform: '平台登记',
  ledger: '台账导入',
} as const;

/** The origins laid against the ledger's rows: null unless every row is the one the origin was read for. */
export function alignOrigins<Row, Sourced extends { origin: Origin }, Origin>(
  rows: readonly Row[],
  sourced: readonly Sourced[],
  same: (row: Row, source: Sourced) => boolean,
): Origin[] | null {
  if (rows.length !== sourced.length) return null;
  const aligned = rows.map((row, index) => {
    const source = sourced[index] as Sourced;
    return same(row, source) ? source.origin : null;
  });
  return aligned.every((origin) => origin !== null) ? (aligned as Origin[]) : null;
}

export const sameTraining = (row: Ledger['trainings'][number], source: SourcedTraining) =>
  row.date === source.date &&
  row.title === source.title.trim() &&
  row.crossBorder === source.crossBorder &&
  row.attendance === source.attendance;

export const samePerson = (row: Ledger['people'][number], source: SourcedPerson) =>
  row.role === source.role && row.name === source.name.trim();

/** #11's rows: each session (institution, counted person-times, a link) or ledger training (台账导入). */
export function trainingOriginTable(ledger: Ledger, origins: TalentOrigins): OriginTable | null {
  const list = origins.trainings;
  if (!list) return null;
  return {
    columns: [
      { key: 'date', title: '日期', width: 110 },
      { key: 'title', title: '培训名称' },
      { key: 'institution', title: '培训机构', width: 200 },
      { key: 'crossBorder', title: '跨境电商培训', width: 110, align: 'center' },
      { key: 'source', title: '来源', width: 170 },
      { key: 'attendance', title: '培训人次', width: 100, align: 'right' },
    ],
    emptyText: '平台培训场次和台账中都没有符合条件的培训',
    cells: (item: Ledger['trainings'][number]) => {
      const origin = list[ledger.trainings.indexOf(item)] ?? { kind: 'ledger' };
      const session = origin.kind === 'session' ? origin : null;
      return {
        date: item.date,
        title:
          session && origins.links.sessions
            ? { href: `/trainings/${session.sessionId}`, text: item.title }
            : item.title,
        institution: session ? session.institution : '—',
        crossBorder: item.crossBorder ? '是' : '否',
        source: session ? `${sourceLabels.session}（按签到计）` : sourceLabels.ledger,
        attendance: String(item.attendance),
      };
    },
  };
}

/** #12 and #13's rows: each person with their role and source, platform people linked to their page. */
export function personOriginTable(ledger: Ledger, origins: TalentOrigins): OriginTable | null {
  const list = origins.people;
  if (!list) return null;
  return {
    columns: [
      { key: 'role', title: '身份', width: 160 },
      { key: 'name', title: '姓名' },
      { key: 'source', title: '来源', width: 120 },
    ],
    emptyText: '平台登记和台账中都没有符合条件的人员',
    cells: (item: Ledger['people'][number]) => {
      const origin = list[ledger.people.indexOf(item)] ?? { kind: 'ledger' };
      const personId = origin.kind === 'platform' ? origin.personId : null;
      return {
        role: personRoleLabels[item.role] ?? item.role,
        name:
          personId && origins.links.people
            ? {
                href: `/talent-people?region=${ledger.etown.code}&role=${item.role}&person=${personId}`,
                text: item.name,
              }
            : item.name,
        source: personId ? sourceLabels.platform : sourceLabels.ledger,
      };
    },
  };
}

/** "其中跨境电商培训 80 人次（垣曲…加项指标要求不少于 200 人次）" for #11, from the rows it counted. */
export function crossBorderText(counted: readonly unknown[], origins: TalentOrigins | undefined): string {
  const target = origins?.crossBorder;
  if (!target) return '';
  const sum = (counted as Ledger['trainings']).reduce(
    (total, row) => total + (row.crossBorder ? row.attendance : 0),
    0,
  );
  const requirement = target.min !== undefined ? `要求不少于 ${target.min} ${target.unit}` : '';
  return `；其中${target.label} ${sum} ${target.unit}（${target.catalogTitle}${requirement ? `：${requirement}` : ''}）`;
}
