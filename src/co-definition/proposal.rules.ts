import { FieldProblem } from 'src/common/errors/domain-error';
import { ProposalAnswers, ProposalItem } from 'src/co-definition/proposal.entity';

/** The four guiding questions every ETS answered on its scheda (WILL, Padova "Sviluppo di Comunità 2.0"). */
export const GUIDING_QUESTIONS: readonly { key: keyof ProposalAnswers; text: string }[] = [
  { key: 'q1', text: 'Che cosa vi fa dire che avete lavorato bene per i destinatari di questo servizio?' },
  { key: 'q2', text: 'Che cosa mancherebbe nel Comune se non ci fosse questo servizio?' },
  { key: 'q3', text: "Quali sono a vostro avviso le dimensioni che dovrebbero essere considerate per monitorare e valutare correttamente l'outcome?" },
  {
    key: 'q4',
    text: 'Con quali metriche misurereste le dimensioni di cui sopra? Pensate sia agli strumenti di rilevazione che a possibili indicatori.',
  },
];

export interface ProposalContent {
  answers: ProposalAnswers;
  dimensions: readonly ProposalItem[];
  metrics: readonly ProposalItem[];
}

/** What a scheda needs before it is submitted: all four answers, and at least one dimension and one metric. */
export function missingForSubmission(p: ProposalContent): FieldProblem[] {
  const problems: FieldProblem[] = GUIDING_QUESTIONS.filter((q) => (p.answers[q.key] ?? '').trim() === '').map((q) => ({
    field: `answers.${q.key}`,
    message: 'answer every guiding question before submitting',
  }));
  if (p.dimensions.length === 0) problems.push({ field: 'dimensions', message: 'propose at least one outcome dimension' });
  if (p.metrics.length === 0) problems.push({ field: 'metrics', message: 'propose at least one metric' });
  return problems;
}
