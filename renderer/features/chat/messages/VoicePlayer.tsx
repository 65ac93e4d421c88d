import { useEffect, useRef, useState } from 'react';
import { PauseCircleOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { VoiceBody } from '../../../../shared/protocol/message-content';
import { useMediaUrl } from './useMediaUrl';

// One voice message plays at a time, as in WeCom: starting one pauses the other.
let playing: HTMLAudioElement | null = null;

/** 12″ — whole seconds, at least 1. */
export function voiceSeconds(durationMs: number): number {
  return Math.max(1, Math.round(durationMs / 1000));
}

export function VoicePlayer(props: { body: z.infer<typeof VoiceBody> }) {
  const { t } = useTranslation();
  const { body } = props;
  const { url } = useMediaUrl(body.mediaId);
  const audioRef = useRef<HTMLAudioElement>(null);
  const [isPlaying, setPlaying] = useState(false);
  const seconds = voiceSeconds(body.durationMs);

  useEffect(() => {
    const audio = audioRef.current;
    return () => {
      if (audio && playing === audio) playing = null;
      audio?.pause();
    };
  }, []);

  const toggle = () => {
    const audio = audioRef.current;
    if (!audio || !url) return;
    if (!audio.paused) {
      audio.pause();
      return;
    }
    if (playing && playing !== audio) playing.pause();
    playing = audio;
    audio.currentTime = 0;
    void audio.play().catch(() => setPlaying(false));
  };

  return (
    <button
      type="button"
      className={`message-voice${isPlaying ? ' is-playing' : ''}`}
      data-testid="message-voice"
      // Longer clips get a wider bubble, like every chat app.
      style={{ width: 80 + Math.min(60, seconds) * 2.5 }}
      aria-label={isPlaying ? t('chat.voice.pause') : t('chat.voice.play', { seconds })}
      disabled={!url}
      onClick={toggle}
    >
      {isPlaying ? <PauseCircleOutlined /> : <PlayCircleOutlined />}
      <span className="message-voice-duration">{t('chat.voice.seconds', { seconds })}</span>
      {url ? (
        <audio
          ref={audioRef}
          src={url}
          preload="none"
          onPlay={() => setPlaying(true)}
          onPause={() => setPlaying(false)}
          onEnded={() => setPlaying(false)}
        />
      ) : null}
    </button>
  );
}
