import { useEffect, useRef, useState } from 'react';
import { App, Button, Tooltip } from 'antd';
import { AudioOutlined, CloseOutlined, SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { MediaLimits } from '../../../../shared/protocol/message-content';

type Recording = {
  recorder: MediaRecorder;
  stream: MediaStream;
  startedAt: number;
  chunks: Blob[];
  cancelled: boolean;
};

/** Click to record (up to 60 s, the time shown), click again to send, × to drop it. */
export function VoiceRecorder(props: { disabled: boolean; onRecorded: (clip: Blob, durationMs: number) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [elapsed, setElapsed] = useState<number | null>(null);
  const recording = useRef<Recording | null>(null);

  const stop = (cancelled: boolean) => {
    const current = recording.current;
    if (!current) return;
    current.cancelled = cancelled;
    if (current.recorder.state !== 'inactive') current.recorder.stop();
  };

  useEffect(() => () => stop(true), []);
  useEffect(() => {
    if (elapsed === null) return;
    const timer = setInterval(() => {
      const current = recording.current;
      if (!current) return;
      const ms = Date.now() - current.startedAt;
      setElapsed(ms);
      if (ms >= MediaLimits.voiceMaxMs) stop(false);
    }, 200);
    return () => clearInterval(timer);
  }, [elapsed === null]); // eslint-disable-line react-hooks/exhaustive-deps -- one timer per recording

  const start = async () => {
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      message.error(t('chat.voice.noMicrophone'));
      return;
    }
    const recorder = new MediaRecorder(stream);
    const current: Recording = { recorder, stream, startedAt: Date.now(), chunks: [], cancelled: false };
    recorder.ondataavailable = (e) => e.data.size > 0 && current.chunks.push(e.data);
    recorder.onstop = () => {
      stream.getTracks().forEach((track) => track.stop());
      recording.current = null;
      setElapsed(null);
      const durationMs = Math.min(MediaLimits.voiceMaxMs, Date.now() - current.startedAt);
      if (current.cancelled) return;
      if (durationMs < 1000) {
        message.warning(t('chat.voice.tooShort'));
        return;
      }
      props.onRecorded(new Blob(current.chunks, { type: recorder.mimeType || 'audio/webm' }), durationMs);
    };
    recording.current = current;
    recorder.start(250);
    setElapsed(0);
  };

  if (elapsed === null) {
    return (
      <Tooltip title={t('chat.voice.record')}>
        <Button
          type="text"
          size="small"
          icon={<AudioOutlined />}
          aria-label={t('chat.voice.record')}
          disabled={props.disabled}
          onClick={() => void start()}
        />
      </Tooltip>
    );
  }
  const seconds = Math.floor(elapsed / 1000);
  return (
    <span className="voice-recording" data-testid="voice-recording">
      <span className="voice-recording-dot" />
      {t('chat.voice.recording', { seconds, max: MediaLimits.voiceMaxMs / 1000 })}
      <Button size="small" type="primary" icon={<SendOutlined />} onClick={() => stop(false)}>
        {t('chat.send')}
      </Button>
      <Button
        size="small"
        type="text"
        icon={<CloseOutlined />}
        aria-label={t('chat.voice.cancel')}
        onClick={() => stop(true)}
      />
    </span>
  );
}
