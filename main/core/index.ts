// The desktop core's public surface: what the Electron shell, browser mode and tests use.
export { startDesktopCore, type DesktopCore, type DesktopCoreOptions } from './desktop-core';
export { startBridgeServer, type BridgeServer, type BridgeServerOptions } from './browser/bridge-server';
export { FileSettings, type Settings, type SettingsStore } from './settings';
