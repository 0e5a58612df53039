/** The string helpers live with the history model, which needs them first; the renderers share them. */
export { cleanControl, detach, keep, truncate } from '../history/text.js'
