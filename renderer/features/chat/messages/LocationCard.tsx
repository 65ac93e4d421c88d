import { EnvironmentOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { LocationBody } from '../../../../shared/protocol/message-content';

/** A map page for the point (OpenStreetMap: no account or key needed). */
export function mapUrl(latitude: number, longitude: number): string {
  const lat = latitude.toFixed(6);
  const lon = longitude.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;
}

export function LocationCard(props: { body: z.infer<typeof LocationBody> }) {
  const { t } = useTranslation();
  const { body } = props;
  return (
    <div className="message-location" data-testid="message-location">
      <EnvironmentOutlined className="message-location-icon" />
      <div className="message-location-text">
        <div className="message-location-name">{body.name}</div>
        {body.address ? <div className="message-location-address">{body.address}</div> : null}
        <div className="message-location-coords">
          {t('chat.location.coords', { latitude: body.latitude.toFixed(6), longitude: body.longitude.toFixed(6) })}
        </div>
        <a
          href={mapUrl(body.latitude, body.longitude)}
          target="_blank"
          rel="noopener noreferrer"
          className="message-link"
        >
          {t('chat.location.openMap')}
        </a>
      </div>
    </div>
  );
}
