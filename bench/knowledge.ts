/** Knowledge-base retrieval bench (being written). */
export async function runKnowledgeBench(): Promise<void> {
  console.log('knowledge bench: not written yet');
}
