/** Injection token of the evidence directory (AppConfig.evidenceDir: EVIDENCE_DIR, default data/evidence). */
export const EVIDENCE_DIR = Symbol('EVIDENCE_DIR');
