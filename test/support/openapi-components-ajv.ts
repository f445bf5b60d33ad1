import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

// OpenAPI 3.0 Schema Objects (components.schemas) compiled by ajv's default dialect, which reads
// OpenAPI's `nullable`, strict and with every error as the service's own schemas are. `components` (the
// wrapper that makes `#/components/schemas/...` refs resolve) and the `x-propertyNames` extension are
// carried but not checked, as OpenAPI tools do.

/** A validator for each component by name. */
export function openApiComponentValidators(schemas: Record<string, object>): (name: string) => ValidateFunction {
  const ajv = new Ajv({ strict: true, allErrors: true });
  addFormats(ajv, ['date']);
  ajv.addKeyword('components');
  ajv.addKeyword('x-propertyNames');
  ajv.addSchema({ $id: 'openapi.json', components: { schemas } });
  return (name) => {
    const validate = ajv.getSchema(`openapi.json#/components/schemas/${name}`);
    if (validate === undefined) throw new Error(`no component ${name}`);
    return validate;
  };
}
