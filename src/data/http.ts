import { DataError } from "../errors.js";

export interface HttpOptions {
  token?: string;
  fetch: typeof fetch;
}

/** GET with the Hub token; maps failures to errors that say what to do. */
export async function httpGet(url: string, what: string, opts: HttpOptions): Promise<Response> {
  const headers: Record<string, string> = { "user-agent": "skythought" };
  if (opts.token) headers["authorization"] = `Bearer ${opts.token}`;
  let response: Response;
  try {
    response = await opts.fetch(url, { headers, redirect: "follow" });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    throw new DataError(
      `${what}: cannot reach ${new URL(url).origin} (${cause}); check the network, or set HF_HUB_OFFLINE=1 and pass --data-file PATH`,
    );
  }
  if (response.ok) return response;
  const body = (await response.text().catch(() => "")).slice(0, 200).replace(/\s+/g, " ");
  if (response.status === 401 || response.status === 403) {
    throw new DataError(
      `${what}: the Hub refused access (HTTP ${response.status}${body ? `: ${body}` : ""}); the dataset may be gated: accept its terms on huggingface.co and set HF_TOKEN, or pass --data-file PATH`,
    );
  }
  throw new DataError(`${what}: HTTP ${response.status} from ${url}${body ? ` (${body})` : ""}`);
}

export async function getJson(url: string, what: string, opts: HttpOptions): Promise<unknown> {
  const response = await httpGet(url, what, opts);
  try {
    return await response.json();
  } catch (e) {
    throw new DataError(`${what}: ${url} did not return JSON (${(e as Error).message})`);
  }
}

export async function getBytes(url: string, what: string, opts: HttpOptions): Promise<Uint8Array> {
  return new Uint8Array(await (await httpGet(url, what, opts)).arrayBuffer());
}
