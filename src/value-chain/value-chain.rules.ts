import { dec, Dec, roundToCents } from 'src/common/decimal/decimal';
import { FUNDING_SOURCES, FundingSource, VALUE_CHAIN_LEVELS, ValueChainLevel } from 'src/value-chain/value-chain-node.entity';
import { ValueChainError } from 'src/value-chain/value-chain.errors';

// Pure rules of the impact value chain: the API services and the contract-document importer call the same
// functions, each with its own `at` prefix, so a problem is named `links[3]` through the API and
// `project.valueChain.links[3]` in a document.

export interface ChainNodeRef {
  code: string;
  level: ValueChainLevel;
}

/** A link between two nodes, by node code: `from` feeds `to`. */
export interface ChainLinkRef {
  from: string;
  to: string;
}

const RANK: Record<ValueChainLevel, number> = { INPUT: 0, PROCESS: 1, OUTPUT: 2, OUTCOME: 3, IMPACT: 4 };

/**
 * Why a link between two known nodes may not exist, or null when it may. The chain flows
 * INPUT -> PROCESS -> OUTPUT -> OUTCOME -> IMPACT and may skip levels; links within a level are allowed
 * (sub-processes, intermediate outcomes feeding final ones) except between two inputs, which combine only
 * through a process. A self link is a cycle, reported by the cycle check.
 */
export function backwardLinkProblem(from: ChainNodeRef, to: ChainNodeRef): string | null {
  if (from.code === to.code) {
    return null;
  }
  if (RANK[to.level] < RANK[from.level]) {
    return `${from.code} (${from.level}) cannot feed ${to.code} (${to.level}): the chain flows ${VALUE_CHAIN_LEVELS.join(' -> ')}`;
  }
  if (from.level === 'INPUT' && to.level === 'INPUT') {
    return `${from.code} cannot feed ${to.code}: inputs are combined by a process, not by another input`;
  }
  return null;
}

/**
 * The first cycle met walking the nodes in order and their outgoing links in order, or null.
 * `codes` lists the cycle's nodes once each, starting where it closes; `linkIndexes` the links forming it.
 */
export function findCycle(
  nodes: readonly ChainNodeRef[],
  links: readonly ChainLinkRef[],
): { codes: string[]; linkIndexes: number[] } | null {
  const outgoing = new Map<string, number[]>(nodes.map((n) => [n.code, []]));
  links.forEach((link, i) => outgoing.get(link.from)?.push(i));
  const state = new Map<string, 'open' | 'done'>();
  const path: { code: string; via: number }[] = [];

  const visit = (code: string, via: number): { codes: string[]; linkIndexes: number[] } | null => {
    state.set(code, 'open');
    path.push({ code, via });
    for (const i of outgoing.get(code) ?? []) {
      const next = links[i].to;
      if (state.get(next) === 'open') {
        const start = path.findIndex((p) => p.code === next);
        const loop = path.slice(start);
        return { codes: loop.map((p) => p.code), linkIndexes: [...loop.slice(1).map((p) => p.via), i] };
      }
      if (state.get(next) === undefined && outgoing.has(next)) {
        const found = visit(next, i);
        if (found) {
          return found;
        }
      }
    }
    path.pop();
    state.set(code, 'done');
    return null;
  };

  for (const node of nodes) {
    if (state.get(node.code) === undefined) {
      const found = visit(node.code, -1);
      if (found) {
        return found;
      }
    }
  }
  return null;
}

/** Checks a whole chain: unique node codes, links between known nodes, no duplicate, no backward link, no cycle. */
export function checkValueChain(nodes: readonly ChainNodeRef[], links: readonly ChainLinkRef[], at = ''): void {
  const byCode = new Map<string, ChainNodeRef>();
  nodes.forEach((node, i) => {
    if (byCode.has(node.code)) {
      throw new ValueChainError('VALUE_CHAIN_NODE_CODE_TAKEN', `Two nodes share the code ${node.code}`, {
        code: node.code,
        fields: [{ field: `${at}nodes[${i}].code`, message: `${node.code} is already used by another node` }],
      });
    }
    byCode.set(node.code, node);
  });

  const seen = new Set<string>();
  links.forEach((link, i) => {
    const path = `${at}links[${i}]`;
    for (const end of ['from', 'to'] as const) {
      if (!byCode.has(link[end])) {
        throw new ValueChainError('VALUE_CHAIN_UNKNOWN_NODE', `Link ${link.from} -> ${link.to} names the unknown node ${link[end]}`, {
          link: { from: link.from, to: link.to },
          fields: [{ field: `${path}.${end}`, message: `no node with code ${link[end]}` }],
        });
      }
    }
    const key = JSON.stringify([link.from, link.to]);
    if (seen.has(key)) {
      throw new ValueChainError('VALUE_CHAIN_LINK_DUPLICATE', `The link ${link.from} -> ${link.to} is given twice`, {
        link: { from: link.from, to: link.to },
        fields: [{ field: path, message: `${link.from} -> ${link.to} is already linked` }],
      });
    }
    seen.add(key);
    const problem = backwardLinkProblem(byCode.get(link.from)!, byCode.get(link.to)!);
    if (problem !== null) {
      throw new ValueChainError('VALUE_CHAIN_BACKWARD_LINK', problem, {
        link: { from: link.from, to: link.to },
        fields: [{ field: path, message: problem }],
      });
    }
  });

  const cycle = findCycle(nodes, links);
  if (cycle) {
    const shown = [...cycle.codes, cycle.codes[0]].join(' -> ');
    throw new ValueChainError('VALUE_CHAIN_CYCLE', `The value chain has a cycle: ${shown}`, {
      cycle: cycle.codes,
      fields: cycle.linkIndexes.map((i) => ({ field: `${at}links[${i}]`, message: `part of the cycle ${shown}` })),
    });
  }
}

export interface NodeFields {
  level: ValueChainLevel;
  quantity: string | null;
  unit: string | null;
  monetaryValue: string | null;
  fundingSource: FundingSource | null;
}

const INPUT_ONLY_FIELDS = ['quantity', 'unit', 'monetaryValue', 'fundingSource'] as const;

/** Only an input is a resource: it alone has a quantity, a unit, a monetary value and a funding source. */
export function checkNodeFields(node: NodeFields, at = ''): void {
  if (node.level === 'INPUT') {
    return;
  }
  const present = INPUT_ONLY_FIELDS.filter((f) => node[f] !== null);
  if (present.length > 0) {
    throw new ValueChainError('VALUE_CHAIN_INPUT_ONLY_FIELD', `A ${node.level} node cannot carry ${present.join(', ')}: only inputs do`, {
      fields: present.map((f) => ({ field: `${at}${f}`, message: `only an INPUT node has a ${f}` })),
    });
  }
}

export interface ChainTree<N extends ChainNodeRef> {
  node: N;
  /** The nodes linked into this one, in node order. */
  children: ChainTree<N>[];
}

/**
 * For each IMPACT node (objective), in node order, the tree of the nodes that feed it, recursively. A node
 * feeding several others (the chain is a DAG) appears under each of them. `detached` lists the other nodes
 * that reach no impact, in node order. Throws as checkValueChain does on a chain it rejects.
 */
export function buildImpactTrees<N extends ChainNodeRef>(
  nodes: readonly N[],
  links: readonly ChainLinkRef[],
): { trees: ChainTree<N>[]; detached: N[] } {
  checkValueChain(nodes, links);
  const order = new Map(nodes.map((n, i) => [n.code, i]));
  const feeders = new Map<string, N[]>(nodes.map((n) => [n.code, []]));
  for (const link of links) {
    feeders.get(link.to)!.push(nodes[order.get(link.from)!]);
  }
  for (const list of feeders.values()) {
    list.sort((a, b) => order.get(a.code)! - order.get(b.code)!);
  }
  const reached = new Set<string>();
  const grow = (node: N): ChainTree<N> => {
    reached.add(node.code);
    return { node, children: feeders.get(node.code)!.map(grow) };
  };
  const trees = nodes.filter((n) => n.level === 'IMPACT').map(grow);
  return { trees, detached: nodes.filter((n) => !reached.has(n.code)) };
}

export type BudgetGroup = FundingSource | 'UNSPECIFIED';

export interface BudgetItem extends NodeFields {
  code: string;
}

export interface BudgetLine {
  fundingSource: BudgetGroup;
  /** Inputs from this source, valued or not. */
  itemCount: number;
  /** Inputs from this source without a monetary value (counted, adding nothing to the total). */
  unvaluedCount: number;
  /** EUR, 2 decimals. */
  total: string;
  inputCodes: string[];
}

export interface Budget {
  lines: BudgetLine[];
  grandTotal: string;
  /** What is actually spent: everything but the valued in-kind resources (volunteer hours, lent spaces). */
  totalExcludingInKind: string;
  /** In-kind inputs nobody has valued yet, so the grand total understates the resources. */
  inKindWithoutValuation: number;
}

const GROUP_ORDER: readonly BudgetGroup[] = [...FUNDING_SOURCES, 'UNSPECIFIED'];

/**
 * The project's "single budget": its INPUT nodes grouped by funding source (other levels are ignored),
 * lines in the order of FUNDING_SOURCES then UNSPECIFIED, only sources that occur. Amounts are exact sums
 * of the inputs' monetary values (at most 2 decimals each), shown with 2 decimals.
 * E.g. a EUR 600,000.00 municipal fee, 4,000 unvalued volunteer hours (IN_KIND) and 12 spaces valued
 * EUR 36,000.00 (IN_KIND) give MUNICIPAL 600000.00, IN_KIND 36000.00, grand total 636000.00, excluding
 * in-kind 600000.00, one in-kind input without a valuation.
 */
export function calculateBudget(nodes: readonly BudgetItem[]): Budget {
  const groups = new Map<BudgetGroup, { items: BudgetItem[]; total: Dec }>();
  for (const node of nodes) {
    if (node.level !== 'INPUT') {
      continue;
    }
    const group = node.fundingSource ?? 'UNSPECIFIED';
    const entry = groups.get(group) ?? { items: [], total: new Dec(0) };
    entry.items.push(node);
    if (node.monetaryValue !== null) {
      entry.total = entry.total.plus(dec(node.monetaryValue));
    }
    groups.set(group, entry);
  }
  const lines: BudgetLine[] = GROUP_ORDER.filter((g) => groups.has(g)).map((g) => {
    const { items, total } = groups.get(g)!;
    return {
      fundingSource: g,
      itemCount: items.length,
      unvaluedCount: items.filter((i) => i.monetaryValue === null).length,
      total: roundToCents(total),
      inputCodes: items.map((i) => i.code),
    };
  });
  const grand = [...groups.values()].reduce((acc, e) => acc.plus(e.total), new Dec(0));
  const inKind = groups.get('IN_KIND')?.total ?? new Dec(0);
  return {
    lines,
    grandTotal: roundToCents(grand),
    totalExcludingInKind: roundToCents(grand.minus(inKind)),
    inKindWithoutValuation: lines.find((l) => l.fundingSource === 'IN_KIND')?.unvaluedCount ?? 0,
  };
}
