/**
 * A folder of Markdown articles, one per file (`# Title` first, optional front matter with
 * `url:` and `locale:`), as `pnpm kb:import` and the demo site's start-up read it. The file name
 * without `.md` is the article's slug, so a re-import updates an article by its file name.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArticleMarkdown } from '../../domain/knowledge/index.ts';
import { slugify } from '../../domain/knowledge/slug.ts';
import type { KnowledgeArticleFields } from '../../services/ports.ts';

export interface ArticleFolder {
  articles: KnowledgeArticleFields[];
  /** Files that are not articles, and why (the import reports them and goes on). */
  skipped: Array<{ file: string; reason: string }>;
}

const MAX_FILE_BYTES = 200_000;

export async function readArticleFolder(dir: string): Promise<ArticleFolder> {
  const files = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.md') && e.name.toLowerCase() !== 'readme.md')
    .map((e) => e.name)
    .sort();
  const articles: KnowledgeArticleFields[] = [];
  const skipped: ArticleFolder['skipped'] = [];
  const slugs = new Set<string>();
  for (const file of files) {
    const text = await readFile(path.join(dir, file), 'utf8');
    if (Buffer.byteLength(text) > MAX_FILE_BYTES) {
      skipped.push({ file, reason: `larger than ${MAX_FILE_BYTES / 1000} KB` });
      continue;
    }
    const slug = slugify(file.replace(/\.md$/i, ''));
    if (slugs.has(slug)) {
      skipped.push({ file, reason: `another file has the same name (${slug})` });
      continue;
    }
    try {
      const parsed = parseArticleMarkdown(file, text);
      if (!parsed.title.trim() || !parsed.body.trim()) {
        skipped.push({ file, reason: 'no "# Title" line or no text' });
        continue;
      }
      slugs.add(slug);
      articles.push({ slug, title: parsed.title, body: parsed.body, url: parsed.url, locale: parsed.locale, enabled: true });
    } catch (error) {
      skipped.push({ file, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { articles, skipped };
}
