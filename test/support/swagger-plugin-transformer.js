// ts-jest wrapper for the @nestjs/swagger CLI plugin (as in the NestJS docs), with the same options as
// nest-cli.json, so tests see the same OpenAPI document as the built service.
const transformer = require('@nestjs/swagger/plugin');

module.exports.name = 'nestjs-swagger-transformer';
module.exports.version = 1;
module.exports.factory = (cs) =>
  transformer.before({ classValidatorShim: true, introspectComments: true }, cs.program);
