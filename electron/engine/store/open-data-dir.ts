import { createDraftStore } from '../drafts/store';
import { checkInvocationFiles } from '../invoke/history';
import { lockDataDir, type DataDirLock } from './data-dir-lock';
import { removeStaleTempFiles } from './temp-files';

/**
 * What an entry point (browser mode, the Electron shell) does with the data dir before it creates
 * the engine: takes its lock (DataDirBusyError when another engine has it), removes the temp files of
 * interrupted atomic writes, and checks the stores that are not read at start anyway (drafts, saved
 * requests, invocation history), so damaged files are kept aside and listed by app.info from the
 * first moment. Settings and the selection are checked when the engine reads them.
 */
export async function openDataDir(dataDir: string, mode: 'web' | 'electron'): Promise<{ lock: DataDirLock; removedTemp: string[] }> {
  const lock = await lockDataDir(dataDir, mode);
  try {
    const removedTemp = await removeStaleTempFiles(dataDir);
    await createDraftStore(dataDir).list({});
    await checkInvocationFiles(dataDir);
    return { lock, removedTemp };
  } catch (e) {
    await lock.release();
    throw e;
  }
}
