/**
 * Where a platform's installations (a workspace's bot token, its refresh token) are kept: per tenant, secret.
 * The Slack adapter turns it into Bolt's installation store; the composition root gives it an encrypted one.
 */
export interface InstallationVault {
  /** Stores `value` (JSON) under the installation's key; it is encrypted before it leaves the process. */
  put(tenant: string, kind: string, value: string): Promise<void>;
  /** The value stored under the key, decrypted; undefined when there is none (or it cannot be decrypted with this key). */
  get(tenant: string, kind: string): Promise<string | undefined>;
  delete(tenant: string, kind: string): Promise<void>;
}
