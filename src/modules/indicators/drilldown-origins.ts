import { policies, roleMayUse } from '../../access/policies.ts';
import type { Actor } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import type { CountCondition, IndicatorCatalog, IndicatorDefinition } from '../../indicators/catalog.ts';
import type { Ledger } from '../../indicators/ledger-schema.ts';
import { peopleSourcesByEtown } from '../talent/people-list.ts';
import { trainingSourcesByEtown } from '../talent/training-list.ts';
import { alignOrigins, samePerson, sameTraining, type TalentOrigins } from './drilldown-talent.ts';

const countsOf = (definition: IndicatorDefinition) =>
  definition.conditions.filter((condition): condition is CountCondition => condition.type === 'count');

/** An add-on's cross-border training target counted over the same window as `total` (Yuanqu's ≥ 200 人次). */
function crossBorderTarget(
  total: CountCondition,
  addOns: readonly IndicatorCatalog[],
): TalentOrigins['crossBorder'] {
  for (const catalog of addOns) {
    for (const indicator of catalog.indicators) {
      const target = countsOf(indicator).find(
        (condition) =>
          condition.list === 'trainings' &&
          condition.where?.crossBorder === true &&
          Object.keys(condition.where).length === 1 &&
          condition.sumOf === 'attendance' &&
          condition.window === total.window,
      );
      if (target) {
        return {
          catalogTitle: `${catalog.title}第 ${indicator.no} 项`,
          label: target.label,
          unit: target.unit,
          min: target.min,
        };
      }
    }
  }
  return undefined;
}

/**
 * For an indicator counting trainings or people (#11–#13), where each of the ledger's rows comes from,
 * read beside the ledger and laid against it; undefined for any other indicator.
 */
export async function talentOriginsFor(
  executor: Executor,
  actor: Actor,
  ledger: Ledger,
  definition: IndicatorDefinition,
  addOns: readonly IndicatorCatalog[],
): Promise<TalentOrigins | undefined> {
  const counts = countsOf(definition);
  const total = counts.find((condition) => condition.list === 'trainings' && !condition.where);
  const wantsTrainings = counts.some((condition) => condition.list === 'trainings');
  const wantsPeople = counts.some((condition) => condition.list === 'people');
  if (!wantsTrainings && !wantsPeople) return undefined;
  const code = ledger.etown.code;
  const [trainings, people] = await Promise.all([
    wantsTrainings ? trainingSourcesByEtown(executor, [code]) : undefined,
    wantsPeople ? peopleSourcesByEtown(executor, [code]) : undefined,
  ]);
  return {
    trainings: trainings ? alignOrigins(ledger.trainings, trainings.get(code) ?? [], sameTraining) : null,
    people: people ? alignOrigins(ledger.people, people.get(code) ?? [], samePerson) : null,
    links: {
      sessions: roleMayUse(policies.trainingsRead, actor.role),
      people: roleMayUse(policies.talentPeopleRead, actor.role),
    },
    crossBorder: total ? crossBorderTarget(total, addOns) : undefined,
  };
}
