/** Media (recordings, voicemails). */
import { notFound } from '../http-errors';
import { renderMedia } from '../representations';
import type { OperationHandler } from './operation-handler';

/** GET /media/{mediaId}: erased or removed recordings stay readable with `deleted: true`. */
export const getMedia: OperationHandler = (request) => {
  const id = request.params.mediaId as number;
  const media = request.sim.state.media.get(id);
  if (!media) throw notFound('media', id);
  return renderMedia(request.render, media);
};
