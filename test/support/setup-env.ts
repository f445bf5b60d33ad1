// Deterministic tests: UTC everywhere (the npm scripts set TZ too, this guards direct jest runs).
process.env.TZ = 'UTC';
