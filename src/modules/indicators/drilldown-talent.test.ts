import { describe, expect, it } from 'vitest';
import { provinceCatalogV1 } from '../../indicators/catalog.ts';
import { traceLedger } from '../../indicators/engine.ts';
import { buildLedger } from '../../indicators/ledger-factory.ts';
import type { SourcedPerson } from '../talent/people-list.ts';
import type { SourcedTraining } from '../talent/training-list.ts';
import type { DrillTableSection } from './drilldown.schemas.ts';
import { drilldownSections } from './drilldown.ts';
import { alignOrigins, samePerson, sameTraining, type TalentOrigins } from './drilldown-talent.ts';

const ledger = buildLedger();
const sessionOf = (index: number) => ({
  kind: 'session' as const,
  sessionId: `s${index}`,
  institution: '垣曲县电商培训学校',
});
const sourcedTrainings: SourcedTraining[] = ledger.trainings.map((row, index) => ({
  ...row,
  origin: index === 0 ? sessionOf(index) : { kind: 'ledger' },
}));
const sourcedPeople: SourcedPerson[] = ledger.people.map((row, index) => ({
  ...row,
  origin: index === 0 ? { kind: 'platform', personId: 'p0' } : { kind: 'ledger' },
}));

function sectionsOf(no: number, origins: TalentOrigins) {
  const traced = traceLedger(ledger, provinceCatalogV1, {});
  const definition = provinceCatalogV1.indicators.find((indicator) => indicator.no === no);
  if (!definition) throw new Error(`#${no}`);
  const facts = traced.evaluation.indicators.find((result) => result.no === no)?.facts ?? {};
  const input = { ledger, running: null, facts, origins };
  const rows = traced.rows.get(`${provinceCatalogV1.id}#${no}`) ?? [];
  return { facts, sections: drilldownSections(input, definition, rows) as DrillTableSection[] };
}

describe('drill-down of trainings and people by source', () => {
  it('lays origins against the ledger rows only when every row is the one read', () => {
    expect(ledger.trainings.length).toBeGreaterThan(1);
    expect(alignOrigins(ledger.trainings, sourcedTrainings, sameTraining)).toHaveLength(
      ledger.trainings.length,
    );
    expect(alignOrigins(ledger.trainings, sourcedTrainings.slice(1), sameTraining)).toBeNull();
    const changed = sourcedTrainings.map((row, index) => (index === 1 ? { ...row, attendance: 9999 } : row));
    expect(alignOrigins(ledger.trainings, changed, sameTraining)).toBeNull();
    expect(alignOrigins(ledger.people, sourcedPeople, samePerson)).toHaveLength(ledger.people.length);
  });

  it('marks sessions and ledger trainings, links only for a reader of sessions, and adds up to #11', () => {
    const origins = (sessions: boolean): TalentOrigins => ({
      trainings: alignOrigins(ledger.trainings, sourcedTrainings, sameTraining),
      people: null,
      links: { sessions, people: false },
    });
    const { facts, sections } = sectionsOf(11, origins(true));
    const table = sections.find((section) => section.total) as DrillTableSection;
    const sum = table.rows.reduce((total, row) => total + Number(row.cells.attendance), 0);
    expect(sum).toBe(facts.attendanceByYear);
    const sources = table.rows.map((row) => row.cells.source);
    expect(sources).toContain('台账导入');
    const session = table.rows.find((row) => row.cells.source === '平台培训场次（按签到计）');
    expect(session?.cells.title).toEqual({ href: '/trainings/s0', text: ledger.trainings[0]?.title });
    expect(session?.cells.institution).toBe('垣曲县电商培训学校');
    const unlinked = sectionsOf(11, origins(false)).sections.find((section) => section.total);
    expect(unlinked?.rows.every((row) => typeof row.cells.title === 'string')).toBe(true);
  });

  it('falls back to the ledger columns when the origins could not be laid against the rows', () => {
    const { sections } = sectionsOf(11, {
      trainings: null,
      people: null,
      links: { sessions: true, people: true },
    });
    expect(sections.find((section) => section.total)?.columns.map((column) => column.key)).not.toContain(
      'source',
    );
  });
});
