/**
 * The public pages' HTML: eta templates in templates/subscribe/, every value
 * escaped (autoEscape), each page inside their own plain layout, which borrows
 * the editor pages' stylesheet (/assets/editor.css) and loads no script.
 */
import { projectFile } from '../../project-files.js';
import { Eta } from 'eta';
import type { Config } from '../../config.js';
import { siteBase } from '../../mail/links.js';

const eta = new Eta({ views: projectFile('templates', 'subscribe'), autoEscape: true, cache: true });

/** Renders templates/subscribe/<name>.eta with the data and the site's name and address. */
export function renderPublicPage(config: Pick<Config, 'site'>, name: string, data: Record<string, unknown>): string {
  return eta.render(`./${name}`, { ...data, site: { title: config.site.title, url: siteBase(config) } });
}
