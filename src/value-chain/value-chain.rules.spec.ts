import { ValueChainLevel } from 'src/value-chain/value-chain-node.entity';
import { ValueChainError } from 'src/value-chain/value-chain.errors';
import {
  BudgetItem,
  buildImpactTrees,
  calculateBudget,
  ChainLinkRef,
  ChainNodeRef,
  ChainTree,
  checkNodeFields,
  checkValueChain,
  findCycle,
} from 'src/value-chain/value-chain.rules';

// Padova "Sviluppo di Comunità 2.0" (shared/examples/padova-sdc.md): the nodes are the example's; the links
// between inputs, processes and outputs are invented, the outcome -> objective links are the text's.
const LEVEL_OF: Record<string, ValueChainLevel> = { IN: 'INPUT', PR: 'PROCESS', OU: 'OUTPUT', OD: 'OUTCOME', IO: 'IMPACT' };
const node = (code: string): ChainNodeRef => ({ code, level: LEVEL_OF[code.slice(0, 2)] });
const link = (spec: string): ChainLinkRef => {
  const [from, to] = spec.split('>');
  return { from, to };
};

const PADOVA_NODES = 'IN1 IN2 IN3 IN4 PR1 PR2 PR3 PR4 OU1 OU2 OU3 OD1 OD2 OD3 OD4 OD5 IO1 IO2'.split(' ').map(node);
const PADOVA_LINKS = [
  'IN1>PR1', 'IN1>PR2', 'IN1>PR3', 'IN1>PR4', 'IN2>PR3', 'IN3>PR1', 'IN3>PR3', 'IN4>PR1', 'IN4>PR2',
  'PR1>OU1', 'PR1>OU3', 'PR2>OU3', 'PR3>OU1', 'PR3>OU2', 'PR4>OD2',
  'OU1>OD2', 'OU1>OD3', 'OU1>OD5', 'OU2>OD3', 'OU2>OD4', 'OU3>OD3', 'OU3>OD4', 'OU1>IO2',
  'OD2>OD1', 'OD1>IO1', 'OD2>IO1', 'OD3>IO2', 'OD4>IO2', 'OD5>IO2',
].map(link);

function rejection(fn: () => unknown): ValueChainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValueChainError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a ValueChainError');
}

function outline<N extends ChainNodeRef>(trees: ChainTree<N>[], depth = 0): string[] {
  return trees.flatMap((t) => [`${'  '.repeat(depth)}${t.node.code}`, ...outline(t.children, depth + 1)]);
}

describe('checkValueChain', () => {
  it("accepts Padova's chain, with an output feeding an objective directly and a partnership outcome feeding autonomy", () => {
    expect(() => checkValueChain(PADOVA_NODES, PADOVA_LINKS)).not.toThrow();
  });

  it('refuses two nodes with the same code, naming the second one under the document path', () => {
    const error = rejection(() => checkValueChain([node('IN1'), node('PR1'), node('IN1')], [], 'project.valueChain.'));
    expect(error.code).toBe('VALUE_CHAIN_NODE_CODE_TAKEN');
    expect(error.details.fields).toEqual([{ field: 'project.valueChain.nodes[2].code', message: 'IN1 is already used by another node' }]);
  });

  it('refuses a link to a node the chain does not have, naming the end that is wrong', () => {
    const error = rejection(() => checkValueChain(PADOVA_NODES, [link('IN1>PR1'), link('PR1>OU9')], 'project.valueChain.'));
    expect(error.code).toBe('VALUE_CHAIN_UNKNOWN_NODE');
    expect(error.details.fields).toEqual([{ field: 'project.valueChain.links[1].to', message: 'no node with code OU9' }]);
    const from = rejection(() => checkValueChain(PADOVA_NODES, [link('XX1>PR1')]));
    expect(from.details.fields).toEqual([{ field: 'links[0].from', message: 'no node with code XX1' }]);
  });

  it('refuses the same link given twice', () => {
    const error = rejection(() => checkValueChain(PADOVA_NODES, [link('IN1>PR1'), link('PR1>OU1'), link('IN1>PR1')]));
    expect(error.code).toBe('VALUE_CHAIN_LINK_DUPLICATE');
    expect(error.details.link).toEqual({ from: 'IN1', to: 'PR1' });
    expect(error.details.fields?.map((f) => f.field)).toEqual(['links[2]']);
  });

  it('refuses an outcome feeding back into an output', () => {
    const error = rejection(() => checkValueChain(PADOVA_NODES, [...PADOVA_LINKS, link('OD3>OU1')], 'project.valueChain.'));
    expect(error.code).toBe('VALUE_CHAIN_BACKWARD_LINK');
    expect(error.details.fields).toEqual([
      {
        field: `project.valueChain.links[${PADOVA_LINKS.length}]`,
        message: 'OD3 (OUTCOME) cannot feed OU1 (OUTPUT): the chain flows INPUT -> PROCESS -> OUTPUT -> OUTCOME -> IMPACT',
      },
    ]);
  });

  it('refuses an impact feeding a process and an input feeding another input', () => {
    expect(rejection(() => checkValueChain(PADOVA_NODES, [link('IO1>PR1')])).code).toBe('VALUE_CHAIN_BACKWARD_LINK');
    const inputs = rejection(() => checkValueChain(PADOVA_NODES, [link('IN1>PR1'), link('IN2>IN1')]));
    expect(inputs.code).toBe('VALUE_CHAIN_BACKWARD_LINK');
    expect(inputs.details.fields?.map((f) => f.field)).toEqual(['links[1]']);
  });

  it('allows sub-processes and skipping levels (volunteer hours feeding an outcome directly)', () => {
    expect(() => checkValueChain(PADOVA_NODES, [link('PR1>PR2'), link('IN2>OD5'), link('PR4>IO1')])).not.toThrow();
  });

  it('refuses a cycle between two outcomes, listing its nodes and its links', () => {
    const links = [...PADOVA_LINKS, link('OD1>OD2')];
    const error = rejection(() => checkValueChain(PADOVA_NODES, links, 'project.valueChain.'));
    expect(error.code).toBe('VALUE_CHAIN_CYCLE');
    // Walking from IN1 the search reaches OD2 first (IN1 -> PR1 -> OU1 -> OD2), so the cycle starts there.
    expect(error.message).toBe('The value chain has a cycle: OD2 -> OD1 -> OD2');
    expect(error.details.cycle).toEqual(['OD2', 'OD1']);
    const odToOd = PADOVA_LINKS.findIndex((l) => l.from === 'OD2' && l.to === 'OD1');
    expect(error.details.fields).toEqual([
      { field: `project.valueChain.links[${odToOd}]`, message: 'part of the cycle OD2 -> OD1 -> OD2' },
      { field: `project.valueChain.links[${PADOVA_LINKS.length}]`, message: 'part of the cycle OD2 -> OD1 -> OD2' },
    ]);
  });

  it('finds a longer cycle among processes, in the order it runs', () => {
    const links = [link('PR1>PR2'), link('PR2>PR3'), link('PR3>OU1'), link('PR3>PR1')];
    expect(findCycle(PADOVA_NODES, links)).toEqual({ codes: ['PR1', 'PR2', 'PR3'], linkIndexes: [0, 1, 3] });
    expect(rejection(() => checkValueChain(PADOVA_NODES, links)).details.cycle).toEqual(['PR1', 'PR2', 'PR3']);
  });

  it('reports a self link as a cycle, on any level, inputs included', () => {
    for (const code of ['IN1', 'OU2', 'IO1']) {
      const error = rejection(() => checkValueChain(PADOVA_NODES, [link('IN1>PR1'), link(`${code}>${code}`)]));
      expect(error.code).toBe('VALUE_CHAIN_CYCLE');
      expect(error.details.cycle).toEqual([code]);
      expect(error.details.fields?.map((f) => f.field)).toEqual(['links[1]']);
    }
  });

  it('finds no cycle in a diamond (an output feeding two outcomes that feed one objective)', () => {
    expect(findCycle(PADOVA_NODES, [link('OU1>OD3'), link('OU1>OD5'), link('OD3>IO2'), link('OD5>IO2')])).toBeNull();
  });
});

describe('checkNodeFields', () => {
  const none = { quantity: null, unit: null, monetaryValue: null, fundingSource: null };

  it("lets an input carry Padova's fee: quantity, unit, value and funding source", () => {
    expect(() =>
      checkNodeFields({ level: 'INPUT', quantity: '600000.00', unit: 'EUR', monetaryValue: '600000.00', fundingSource: 'MUNICIPAL' }),
    ).not.toThrow();
    expect(() => checkNodeFields({ level: 'OUTCOME', ...none })).not.toThrow();
  });

  it('refuses a budget on a process, naming each input-only field present', () => {
    const error = rejection(() =>
      checkNodeFields({ ...none, level: 'PROCESS', quantity: '4000', fundingSource: 'IN_KIND' }, 'project.valueChain.nodes[5].'),
    );
    expect(error.code).toBe('VALUE_CHAIN_INPUT_ONLY_FIELD');
    expect(error.details.fields).toEqual([
      { field: 'project.valueChain.nodes[5].quantity', message: 'only an INPUT node has a quantity' },
      { field: 'project.valueChain.nodes[5].fundingSource', message: 'only an INPUT node has a fundingSource' },
    ]);
  });

  it('refuses a unit or a monetary value on an outcome, with bare field names through the API', () => {
    const error = rejection(() => checkNodeFields({ ...none, level: 'OUTCOME', unit: 'COUNT', monetaryValue: '0.00' }));
    expect(error.details.fields?.map((f) => f.field)).toEqual(['unit', 'monetaryValue']);
  });
});

describe('buildImpactTrees', () => {
  it("grows Padova's two objectives from their outcomes down to the resources, repeating shared nodes", () => {
    const { trees, detached } = buildImpactTrees(PADOVA_NODES, PADOVA_LINKS);
    expect(trees.map((t) => t.node.code)).toEqual(['IO1', 'IO2']);
    expect(outline(trees.slice(0, 1))).toEqual([
      'IO1',
      '  OD1',
      '    OD2',
      '      PR4',
      '        IN1',
      '      OU1',
      '        PR1',
      '          IN1',
      '          IN3',
      '          IN4',
      '        PR3',
      '          IN1',
      '          IN2',
      '          IN3',
      '  OD2',
      '    PR4',
      '      IN1',
      '    OU1',
      '      PR1',
      '        IN1',
      '        IN3',
      '        IN4',
      '      PR3',
      '        IN1',
      '        IN2',
      '        IN3',
    ]);
    expect(outline(trees.slice(1)).filter((line) => /^ {0,2}\S/.test(line))).toEqual(['IO2', '  OU1', '  OD3', '  OD4', '  OD5']);
    expect(outline(trees[1].children[2].children)).toEqual([
      'OU2', '  PR3', '    IN1', '    IN2', '    IN3',
      'OU3', '  PR1', '    IN1', '    IN3', '    IN4', '  PR2', '    IN1', '    IN4',
    ]);
    expect(detached).toEqual([]);
  });

  it('lists nodes that feed no objective as detached, and gives an empty forest without objectives', () => {
    const { trees, detached } = buildImpactTrees(PADOVA_NODES, [link('IN1>PR1'), link('PR1>OU1'), link('OU1>IO2')]);
    expect(outline(trees)).toEqual(['IO1', 'IO2', '  OU1', '    PR1', '      IN1']);
    expect(detached.map((n) => n.code)).toEqual(['IN2', 'IN3', 'IN4', 'PR2', 'PR3', 'PR4', 'OU2', 'OU3', 'OD1', 'OD2', 'OD3', 'OD4', 'OD5']);
    const noImpact = buildImpactTrees([node('IN1'), node('PR1')], [link('IN1>PR1')]);
    expect(noImpact).toEqual({ trees: [], detached: [node('IN1'), node('PR1')] });
  });

  it('keeps the caller’s node objects so the service can map them', () => {
    const nodes = [{ ...node('OD1'), id: 'a' }, { ...node('IO1'), id: 'b' }];
    const { trees } = buildImpactTrees(nodes, [link('OD1>IO1')]);
    expect(trees[0].children[0].node).toBe(nodes[0]);
  });

  it('refuses to grow a tree on a cyclic chain', () => {
    expect(rejection(() => buildImpactTrees([node('OD1'), node('OD2')], [link('OD1>OD2'), link('OD2>OD1')])).code).toBe('VALUE_CHAIN_CYCLE');
  });
});

describe('calculateBudget', () => {
  const input = (code: string, fields: Partial<BudgetItem>): BudgetItem => ({
    code,
    level: 'INPUT',
    quantity: null,
    unit: null,
    monetaryValue: null,
    fundingSource: null,
    ...fields,
  });

  it("puts Padova's fee, valued spaces and unvalued volunteer hours into one budget", () => {
    const budget = calculateBudget([
      input('IN1', { quantity: '600000.00', unit: 'EUR', monetaryValue: '600000.00', fundingSource: 'MUNICIPAL' }),
      input('IN2', { quantity: '4000', unit: 'HOURS', fundingSource: 'IN_KIND' }),
      input('IN3', { quantity: '12', unit: 'COUNT', monetaryValue: '36000.00', fundingSource: 'IN_KIND' }),
      input('IN4', { quantity: '9.5', unit: 'FTE' }),
      { ...input('PR1', {}), level: 'PROCESS' },
    ]);
    expect(budget).toEqual({
      lines: [
        { fundingSource: 'MUNICIPAL', itemCount: 1, unvaluedCount: 0, total: '600000.00', inputCodes: ['IN1'] },
        { fundingSource: 'IN_KIND', itemCount: 2, unvaluedCount: 1, total: '36000.00', inputCodes: ['IN2', 'IN3'] },
        { fundingSource: 'UNSPECIFIED', itemCount: 1, unvaluedCount: 1, total: '0.00', inputCodes: ['IN4'] },
      ],
      grandTotal: '636000.00',
      totalExcludingInKind: '600000.00',
      inKindWithoutValuation: 1,
    });
  });

  it('adds cents exactly where floating point would not (0.10 + 0.20) and orders lines by funding source', () => {
    const budget = calculateBudget([
      input('F1', { monetaryValue: '0.10', fundingSource: 'FOUNDATION' }),
      input('P1', { monetaryValue: '150000', fundingSource: 'PNRR' }),
      input('F2', { monetaryValue: '0.20', fundingSource: 'FOUNDATION' }),
      input('M1', { monetaryValue: '99999.99', fundingSource: 'MUNICIPAL' }),
    ]);
    expect(budget.lines.map((l) => [l.fundingSource, l.total])).toEqual([
      ['MUNICIPAL', '99999.99'],
      ['PNRR', '150000.00'],
      ['FOUNDATION', '0.30'],
    ]);
    expect(budget.grandTotal).toBe('250000.29');
    expect(budget.totalExcludingInKind).toBe('250000.29');
    expect(budget.inKindWithoutValuation).toBe(0);
  });

  it('gives a zero budget to a project without inputs', () => {
    expect(calculateBudget([])).toEqual({ lines: [], grandTotal: '0.00', totalExcludingInKind: '0.00', inKindWithoutValuation: 0 });
  });
});
