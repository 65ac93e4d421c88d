import { useState } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CallArgs, ChatMessage } from '../../../../shared/contract';
import type { MediaUploadKind } from '../../../../shared/protocol/http';
import { MediaLimits } from '../../../../shared/protocol/message-content';
import { useQixin } from '../../../bridge/context';
import { errorText } from '../../session/errors';
import { blobToBase64 } from '../../../ui/base64-files';
import { classifyFile, plainMime, readImage, readVideo, THUMB_MAX_SIDE } from './media-files';

/** A media message on its way: which file, how far (0–100). */
export type MediaProgress = { label: string; percent: number };

/**
 * Sends images, videos and voice clips: checks the size first, uploads the bytes (and a preview),
 * then sends the message that references them. What is not an image or video within its limit
 * goes to `sendAsFiles` (file messages).
 */
export function useMediaSender(
  conversationId: string,
  onSent: (message: ChatMessage) => void,
  sendAsFiles: (files: File[]) => void,
) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { message } = App.useApp();
  const [progress, setProgress] = useState<MediaProgress | null>(null);

  const upload = async (kind: MediaUploadKind, blob: Blob) =>
    qixin.call('media.upload', { kind, mime: plainMime(blob.type), base64: await blobToBase64(blob) });

  const send = async (fields: Omit<CallArgs<'messages.send'>, 'conversationId'>) => {
    const result = await qixin.call('messages.send', { conversationId, ...fields });
    onSent(result.message);
  };

  /** Runs one media send with its progress shown and any refusal said in words. */
  const run = async (label: string, work: (step: (percent: number) => void) => Promise<void>) => {
    setProgress({ label, percent: 0 });
    try {
      await work((percent) => setProgress({ label, percent }));
    } catch (err) {
      message.error(t('chat.media.failed', { name: label, reason: errorText(t, err) }));
    } finally {
      setProgress(null);
    }
  };

  const sendImage = (file: File) =>
    run(file.name || t('chat.kind.image'), async (step) => {
      const image = await readImage(file).catch(() => {
        throw Object.assign(new Error('unreadable'), { code: 'invalid', reason: 'content_invalid' });
      });
      step(20);
      const original = await upload('image', file);
      step(70);
      // A small image is its own preview.
      const thumb = Math.max(image.width, image.height) > THUMB_MAX_SIDE ? await upload('image', image.thumb) : null;
      step(90);
      await send({
        kind: 'image',
        body: {
          kind: 'image',
          mediaId: original.mediaId,
          thumbId: thumb?.mediaId ?? null,
          mime: original.mime,
          size: original.size,
          width: image.width,
          height: image.height,
        },
      });
    });

  const sendVideo = (file: File) =>
    run(file.name || t('chat.kind.video'), async (step) => {
      const video = await readVideo(file).catch(() => {
        throw Object.assign(new Error('unreadable'), { code: 'invalid', reason: 'content_invalid' });
      });
      step(10);
      const original = await upload('video', file);
      step(80);
      const poster = video.poster ? await upload('image', video.poster) : null;
      step(90);
      await send({
        kind: 'video',
        body: {
          kind: 'video',
          mediaId: original.mediaId,
          thumbId: poster?.mediaId ?? null,
          mime: original.mime,
          size: original.size,
          durationMs: video.durationMs,
          width: video.width,
          height: video.height,
        },
      });
    });

  const sendVoice = (clip: Blob, durationMs: number) =>
    run(t('chat.kind.voice'), async (step) => {
      if (clip.size > MediaLimits.voiceMaxBytes) {
        throw Object.assign(new Error('too large'), { code: 'too_large', reason: 'media_too_large' });
      }
      const uploaded = await upload('voice', clip);
      step(80);
      await send({
        kind: 'voice',
        body: {
          kind: 'voice',
          mediaId: uploaded.mediaId,
          mime: uploaded.mime,
          size: uploaded.size,
          durationMs: Math.max(1, Math.min(MediaLimits.voiceMaxMs, Math.round(durationMs))),
        },
      });
    });

  /** Dropped or pasted files, one message each: files start at once, images and videos follow in order. */
  const sendFiles = async (files: readonly File[]) => {
    const asFiles = files.filter((file) => classifyFile(file).kind === 'file');
    if (asFiles.length > 0) sendAsFiles(asFiles);
    for (const file of files) {
      const { kind } = classifyFile(file);
      if (kind === 'image') await sendImage(file);
      else if (kind === 'video') await sendVideo(file);
    }
  };

  return { progress, sendFiles, sendVoice };
}
