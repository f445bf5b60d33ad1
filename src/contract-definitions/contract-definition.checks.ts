import { DomainError, FieldProblem } from 'src/common/errors/domain-error';
import { checkContractDates, checkGroupingMembers, checkPeriods } from 'src/contracts/contract.rules';
import { ContractError } from 'src/contracts/contracts.errors';
import { ContractDefinition, OrganisationDefinition } from 'src/contract-definitions/contract-definition.types';
import { ContractDefinitionError } from 'src/contract-definitions/contract-definitions.errors';
import { checkBaselinesAndTargets, checkDenominators, checkDisaggregations } from 'src/indicators/indicator.rules';
import { checkOrganisationShape } from 'src/organisations/organisation.rules';
import { assertValidRuleSet, type RuleSetContext } from 'src/rule-sets/rule-set.validation';
import { OrganisationError } from 'src/organisations/organisations.errors';
import { checkNodeFields, checkValueChain } from 'src/value-chain/value-chain.rules';

// Everything about a contract definition that can be decided from the document alone, after the schema:
// codes are unique, every reference names something in the document, every organisation is used, and the
// domain rules of each module hold (called, never re-implemented, with the document path as `at`), and
// the payment rules are a valid rule set for this contract (src/rule-sets/rule-set.validation.ts).
// Pure: no database. What depends on the database (existing codes, shared organisations) is the writer's.

/** Runs every document check; throws the first rule broken (references: all unknown ones at once). */
export function checkContractDefinition(doc: ContractDefinition): void {
  checkUniqueCodes(doc);
  checkReferences(doc);
  checkOrganisationsUsed(doc);
  checkDomainRules(doc);
}

function checkUniqueCodes(doc: ContractDefinition): void {
  const lists: [string, { code: string }[]][] = [
    ['organisations', doc.organisations],
    ['project.referencePopulations', doc.project.referencePopulations],
    ['contract.groupings', doc.contract.groupings],
    ['contract.indicators', doc.contract.indicators],
  ];
  // Node and period codes are checked by the value-chain and contract rules (their own codes).
  for (const [path, items] of lists) {
    const first = new Map<string, number>();
    items.forEach((item, i) => {
      const earlier = first.get(item.code);
      if (earlier !== undefined) {
        throw new ContractDefinitionError('CONTRACT_DEFINITION_DUPLICATE_CODE', `${path}[${i}] repeats the code ${item.code}`, {
          code: item.code,
          fields: [{ field: `${path}[${i}].code`, message: `${item.code} is already used by ${path}[${earlier}]` }],
        });
      }
      first.set(item.code, i);
    });
  }
}

function checkReferences(doc: ContractDefinition): void {
  const { project, contract } = doc;
  const known = {
    organisation: new Set(doc.organisations.map((o) => o.code)),
    node: new Set(project.valueChain.nodes.map((n) => n.code)),
    population: new Set(project.referencePopulations.map((p) => p.code)),
    period: new Set(contract.periods.map((p) => p.code)),
    grouping: new Set(contract.groupings.map((g) => g.code)),
    indicator: new Set(contract.indicators.map((i) => i.code)),
  };
  const problems: FieldProblem[] = [];
  const ref = (kind: keyof typeof known, code: string | undefined, field: string): void => {
    if (code !== undefined && !known[kind].has(code)) {
      problems.push({ field, message: `no ${kind} with code ${code} in the document` });
    }
  };

  ref('organisation', project.municipality, 'project.municipality');
  project.valueChain.links.forEach((link, i) => {
    ref('node', link.from, `project.valueChain.links[${i}].from`);
    ref('node', link.to, `project.valueChain.links[${i}].to`);
  });
  ref('organisation', contract.municipality, 'contract.municipality');
  contract.groupings.forEach((g, gi) => {
    const at = `contract.groupings[${gi}]`;
    g.members.forEach((m, i) => ref('organisation', m.organisation, `${at}.members[${i}].organisation`));
    g.fees.forEach((f, i) => ref('period', f.period, `${at}.fees[${i}].period`));
  });
  contract.indicators.forEach((ind, k) => {
    const at = `contract.indicators[${k}]`;
    ref('node', ind.node, `${at}.node`);
    ind.baselines.forEach((b, i) => {
      ref('grouping', b.grouping, `${at}.baselines[${i}].grouping`);
      ref('period', b.establishedIn, `${at}.baselines[${i}].establishedIn`);
    });
    ind.targets.forEach((t, i) => {
      ref('period', t.period, `${at}.targets[${i}].period`);
      ref('grouping', t.grouping, `${at}.targets[${i}].grouping`);
    });
    (ind.denominators ?? []).forEach((d, i) => {
      ref('grouping', d.grouping, `${at}.denominators[${i}].grouping`);
      ref('population', d.population, `${at}.denominators[${i}].population`);
    });
  });
  (contract.paymentRules?.terms ?? []).forEach((term, i) => ref('indicator', term.indicator, `contract.paymentRules.terms[${i}].indicator`));
  (contract.paymentRules?.evaluationPayers ?? []).forEach((p, i) => ref('organisation', p.payer, `contract.paymentRules.evaluationPayers[${i}].payer`));

  if (problems.length > 0) {
    const summary = problems.length === 1 ? `${problems[0].field}: ${problems[0].message}` : `${problems.length} references name nothing in the document`;
    throw new ContractDefinitionError('CONTRACT_DEFINITION_UNKNOWN_REFERENCE', summary, { fields: problems });
  }
}

/** The export lists only the organisations a contract uses, so an unused one could not come back: refused. */
function checkOrganisationsUsed(doc: ContractDefinition): void {
  const used = new Set(usedOrganisationCodes(doc));
  const unused = doc.organisations.map((o, i) => ({ o, i })).filter(({ o }) => !used.has(o.code));
  if (unused.length > 0) {
    throw new ContractDefinitionError(
      'CONTRACT_DEFINITION_UNUSED_ORGANISATION',
      `Organisations not used by the project or the contract: ${unused.map(({ o }) => o.code).join(', ')}`,
      {
      fields: unused.map(({ o, i }) => ({
        field: `organisations[${i}]`,
        message: `${o.code} is not the municipality, a member of any grouping, nor an evaluation payer of the payment rules`,
      })),
    },
    );
  }
}

/**
 * Organisation codes in order of first use: the project's municipality, the contract's, members grouping by
 * grouping, then the payment rules' evaluation payers.
 */
export function usedOrganisationCodes(doc: ContractDefinition): string[] {
  const codes = [
    doc.project.municipality,
    doc.contract.municipality,
    ...doc.contract.groupings.flatMap((g) => g.members.map((m) => m.organisation)),
    ...(doc.contract.paymentRules?.evaluationPayers ?? []).map((p) => p.payer),
  ];
  return [...new Set(codes)];
}

/** What the payment rules are checked against: this document's indicators, groupings with fees, periods and organisations. */
export function ruleSetContextOf(doc: ContractDefinition): RuleSetContext {
  const { contract } = doc;
  return {
    indicators: contract.indicators.map((ind) => ({
      code: ind.code,
      unit: ind.unit,
      direction: ind.direction,
      disaggregations: ind.disaggregations ?? [],
      aggregation: ind.aggregation,
      minSampleSize: ind.minSampleSize ?? null,
      baselines: ind.baselines.map((b) => ({ grouping: b.grouping ?? null, value: b.value ?? null })),
      targets: ind.targets.map((t) => ({ period: t.period, grouping: t.grouping ?? null, value: t.value })),
    })),
    groupings: contract.groupings.map((g) => ({
      code: g.code,
      fees: g.fees.map((f) => ({ period: f.period, amount: f.amount })),
      members: g.members.map((m) => m.organisation),
    })),
    periods: contract.periods.map((p) => p.code),
    organisations: doc.organisations.map((o) => o.code),
  };
}

function checkDomainRules(doc: ContractDefinition): void {
  const { project, contract } = doc;
  const organisations = new Map(doc.organisations.map((o) => [o.code, o]));

  doc.organisations.forEach((o, i) =>
    withPrefix(`organisations[${i}].`, () =>
      checkOrganisationShape({ kind: o.kind, legalForm: o.legalForm ?? null, districtId: null, leadOrganisationId: null }),
    ),
  );

  requireMunicipality(organisations.get(project.municipality)!, 'project.municipality');
  checkValueChain(project.valueChain.nodes, project.valueChain.links, 'project.valueChain.');
  project.valueChain.nodes.forEach((n, i) =>
    checkNodeFields(
      {
        level: n.level,
        quantity: n.quantity ?? null,
        unit: n.unit ?? null,
        monetaryValue: n.monetaryValue ?? null,
        fundingSource: n.fundingSource ?? null,
      },
      `project.valueChain.nodes[${i}].`,
    ),
  );

  requireMunicipality(organisations.get(contract.municipality)!, 'contract.municipality');
  if (contract.municipality !== project.municipality) {
    throw new ContractError(
      'CONTRACT_MUNICIPALITY_MISMATCH',
      `The contract's municipality ${contract.municipality} is not the project's (${project.municipality})`,
      { fields: [{ field: 'contract.municipality', message: `must be the project's municipality ${project.municipality}` }] },
    );
  }
  checkContractDates(contract, 'contract.');
  checkPeriods(contract, contract.periods, 'contract.');

  contract.groupings.forEach((g, gi) => {
    const at = `contract.groupings[${gi}].`;
    g.members.forEach((m, i) => {
      const org = organisations.get(m.organisation)!;
      if (org.kind !== 'ETS') {
        throw new ContractError('GROUPING_MEMBER_NOT_ETS', `${org.code} is a ${org.kind}: only an ETS can be a member of a grouping`, {
          organisation: org.code,
          fields: [{ field: `${at}members[${i}].organisation`, message: `${org.code} is a ${org.kind}, not an ETS` }],
        });
      }
    });
    checkGroupingMembers(g.type, g.members, at);
    const feePeriods = new Map<string, number>();
    g.fees.forEach((f, i) => {
      const earlier = feePeriods.get(f.period);
      if (earlier !== undefined) {
        throw new ContractDefinitionError('CONTRACT_DEFINITION_DUPLICATE_FEE', `Grouping ${g.code} has two fees for period ${f.period}`, {
          fields: [{ field: `${at}fees[${i}].period`, message: `period ${f.period} already has a fee in fees[${earlier}]` }],
        });
      }
      feePeriods.set(f.period, i);
    });
  });

  contract.indicators.forEach((ind, k) => {
    const at = `contract.indicators[${k}].`;
    checkDisaggregations(ind.disaggregations ?? [], at);
    checkBaselinesAndTargets(
      ind,
      ind.baselines.map((b) => ({ grouping: b.grouping ?? null, value: b.value ?? null })),
      ind.targets.map((t) => ({ period: t.period, grouping: t.grouping ?? null, value: t.value })),
      at,
    );
    checkDenominators(ind, (ind.denominators ?? []).map((d) => ({ grouping: d.grouping ?? null, population: d.population })), at);
  });

  if (contract.paymentRules !== undefined) {
    assertValidRuleSet(contract.paymentRules, ruleSetContextOf(doc), { at: 'contract.paymentRules' });
  }
}

function requireMunicipality(org: OrganisationDefinition, field: string): void {
  if (org.kind !== 'MUNICIPALITY') {
    throw new OrganisationError('ORGANISATION_WRONG_KIND', `${field} must be a MUNICIPALITY, not ${org.code} (a ${org.kind})`, {
      fields: [{ field, message: `${org.code} is a ${org.kind}, not a MUNICIPALITY` }],
    });
  }
}

/** Runs a rule that reports paths relative to one item and puts the item's document path in front. */
function withPrefix(prefix: string, rule: () => void): void {
  try {
    rule();
  } catch (error) {
    if (error instanceof DomainError && error.details.fields) {
      error.details.fields = error.details.fields.map((f) => ({ ...f, field: `${prefix}${f.field}` }));
    }
    throw error;
  }
}
