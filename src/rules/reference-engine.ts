import { Engine, Operator } from 'json-rules-engine';
import { Dec, isDecimalString } from 'src/common/decimal/decimal';
import { DECIMAL_OPERATORS, type DecimalOperator, type Facts, type TopLevelCondition } from 'src/rules/condition.types';

// The reference evaluator: a stock json-rules-engine whose six comparison operators are re-bound to
// decimal semantics (its defaults compare strings with < and >, so "9" > "10"). Slow and asynchronous;
// it exists so that the compiled evaluator can be proved equal to it (docs/decisions/0010-rule-conditions.md).

function decimalOperand(value: unknown, operator: DecimalOperator): Dec {
  if (!isDecimalString(value)) {
    throw new TypeError(`${operator}: not a decimal string: ${JSON.stringify(value)}`);
  }
  return new Dec(value);
}

// Written independently of the compiler's comparison (Decimal's own eq/lt/lte/gt/gte, not cmp), so that
// the equivalence property test compares two implementations rather than one with itself.
const DECIMAL_SEMANTICS: Readonly<Record<DecimalOperator, (a: Dec, b: Dec) => boolean>> = {
  equal: (a, b) => a.eq(b),
  notEqual: (a, b) => !a.eq(b),
  lessThan: (a, b) => a.lt(b),
  lessThanInclusive: (a, b) => a.lte(b),
  greaterThan: (a, b) => a.gt(b),
  greaterThanInclusive: (a, b) => a.gte(b),
};

/** A json-rules-engine Engine with decimal operators and no undefined facts. */
export function createReferenceEngine(): Engine {
  const engine = new Engine([], { allowUndefinedFacts: false, allowUndefinedConditions: false });
  for (const name of DECIMAL_OPERATORS) {
    engine.addOperator(
      new Operator<unknown, unknown>(name, (fact, value) =>
        DECIMAL_SEMANTICS[name](decimalOperand(fact, name), decimalOperand(value, name)),
      ),
    );
  }
  return engine;
}

/** Whether the condition holds for the facts according to json-rules-engine; rejects on an undefined fact. */
export async function evaluateWithReferenceEngine(condition: TopLevelCondition, facts: Facts): Promise<boolean> {
  const engine = createReferenceEngine();
  // The engine decorates the condition objects it is given with results: give it a copy.
  engine.addRule({ name: 'condition', conditions: structuredClone(condition), event: { type: 'holds' } });
  const { events } = await engine.run({ ...facts });
  return events.length === 1;
}
