/**
 * A Jinja template reader for tests of what dbt compiles: nunjucks reads Jinja's tag syntax
 * (`{{ }}`, `{% %}`, `{# #}`) the same way; autoescape off and undefined names an error, as in dbt.
 * Unlike Jinja it keeps a template's last newline.
 */
import nunjucks from 'nunjucks';

export const jinja = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true });
