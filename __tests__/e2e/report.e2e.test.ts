/**
 * End-to-end for the failure report: dist/index.js as a child process against the emulator, with
 * a runner's files (job summary, outputs), the annotations as workflow commands on stdout, and the
 * pull request comment sent to a local fake of GitHub's REST API. The cases are those of
 * main.report.test.ts (support/report-cases.ts), which runs them in process for every linking;
 * here they run once, with the linking the documented sample shows.
 */
import { describe } from '@jest/globals'
import { runAction } from '../../scripts/run-action.js'
import { reportCases } from '../support/report-cases.js'

describe('the bundle, linking: previous', () => reportCases('previous', runAction))
