import {
  CodeOutlined,
  CustomerServiceOutlined,
  FileExcelOutlined,
  FileImageOutlined,
  FileOutlined,
  FilePdfOutlined,
  FilePptOutlined,
  FileTextOutlined,
  FileWordOutlined,
  FileZipOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import type { ComponentType } from 'react';
import { fileKind, type FileKind } from './format';

const ICONS: Record<FileKind, ComponentType<{ className?: string }>> = {
  pdf: FilePdfOutlined,
  word: FileWordOutlined,
  excel: FileExcelOutlined,
  ppt: FilePptOutlined,
  archive: FileZipOutlined,
  image: FileImageOutlined,
  video: VideoCameraOutlined,
  audio: CustomerServiceOutlined,
  text: FileTextOutlined,
  code: CodeOutlined,
  other: FileOutlined,
};

/** The file's type at a glance, coloured as office suites colour them (files.css). */
export function FileIcon(props: { name: string; mime: string }) {
  const kind = fileKind(props.name, props.mime);
  const Icon = ICONS[kind];
  return (
    <span className={`file-icon file-icon-${kind}`} data-kind={kind} aria-hidden>
      <Icon />
    </span>
  );
}
