import type {
  InstallRequest,
  ServiceInstall,
  ServiceProgram,
  ServiceStatus,
  ServiceUninstall,
} from './service-unit.js';
import type { WorkspaceConfig } from './workspace-config.js';

/*
 * The composition root's `service` commands (re-exported by compose.ts): each loads
 * service-unit.ts when called, so no other command pays for it.
 */

export type { ServiceInstall, ServiceStatus, ServiceUninstall };

/** `service install`: writes the workspace's systemd user unit for `run`, then starts it. */
export async function installService(
  config: WorkspaceConfig,
  program: ServiceProgram,
  request: InstallRequest,
): Promise<ServiceInstall> {
  return (await import('./service-unit.js')).installService(config, program, request);
}

/** `service uninstall`: stops and disables the unit, then removes the file install wrote. */
export async function uninstallService(config: WorkspaceConfig): Promise<ServiceUninstall> {
  return (await import('./service-unit.js')).uninstallService(config);
}

/** `service status`: the unit file, and what systemd says of it when a user manager answers. */
export async function readServiceStatus(config: WorkspaceConfig): Promise<ServiceStatus> {
  return (await import('./service-unit.js')).serviceStatus(config);
}
