/** The file rules `validate` and `inspect` run beyond the layout: kept in steps/validate (the web application runs them too). */
export { FILE_RULES } from '../steps/validate/index.js';
