import * as core from '@actions/core'
import { errorMessage, isUserError } from './errors.js'
import { refuseHostileInputs, TOKEN_INPUTS } from './inputs.js'
import { redactMasked } from './secrets.js'
import { summaryWritten, writeSummary } from './summary.js'

/**
 * The whole entrypoint of an action. Every input is checked first (refuseHostileInputs: no token
 * outside `tokenInputs`, no control characters). A user error becomes one clear `::error::`;
 * anything else is a bug, said as such with its stack in the debug log. The exit code is 1 either
 * way.
 */
export async function runAction(
  name: string,
  run: () => Promise<void>,
  tokenInputs: readonly string[] = TOKEN_INPUTS,
): Promise<void> {
  try {
    refuseHostileInputs(process.env, tokenInputs)
    await run()
  } catch (error) {
    // Every run leaves a summary: one that failed before the action wrote its own gets this one.
    if (!summaryWritten()) {
      await writeSummary({
        title: `${name} failed`,
        outcome: 'failure',
        rows: [['Error', errorMessage(error)]],
      }).catch(() => undefined)
    }
    if (isUserError(error)) {
      // A library may quote a request back at us: scrub before printing, whatever the source.
      core.setFailed(redactMasked(`${name}: ${error.message}`))
    } else {
      core.setFailed(
        redactMasked(
          `${name}: unexpected error (a bug in argocd-actions, please report it): ${errorMessage(error)}`,
        ),
      )
      if (error instanceof Error && error.stack) core.debug(redactMasked(error.stack))
    }
  }
}
