/**
 * Entry point of the `leadflow` command (loaded by bin/leadflow.js through tsx).
 * Exits explicitly: a command that finished must not be held open by a forgotten handle.
 */
import { runCli } from './program';

// Lambda runs Node 22; locally Node 20 is supported, so the SDK's warning about it is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exit(await runCli(process.argv.slice(2)));
