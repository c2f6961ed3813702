/** Placeholder so the registered bench resolves; the judgement bench replaces it. */
export async function runJudgementBench(): Promise<void> {
  console.log('judgement bench: not written yet');
}
