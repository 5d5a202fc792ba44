import type { OutboundResult, WebhookSender } from '../advisor/ports.js';
import { discard, httpUrl, noAnswer, readBounded, redirectTarget } from './http.js';

export interface WebhookSenderOptions {
  /** Bytes of the answer read; default 4 096 (enough for an error message, never a download). */
  maxAnswerBytes?: number;
  /** Characters of an error answer kept in `detail`; default 500. */
  maxDetailChars?: number;
  /** Sent as User-Agent; default "shipcheck-webhook". */
  userAgent?: string;
}

/**
 * A WebhookSender over fetch. It never throws: a timeout, a refused
 * connection, a 500 or a redirect is an OutboundResult with ok=false that the
 * caller records (and the job queue retries).
 *
 * Redirects are never followed, to any host. A webhook URL is configured by
 * an admin and may carry a secret in its path; following a 307/308 would
 * re-send the payload (with its acknowledgement link) to wherever the answer
 * points, and a 301/302 would turn the POST into a GET that "succeeds"
 * without delivering anything. A 3xx is reported with the origin it points
 * to, so the admin can configure the final URL.
 */
export function createWebhookSender(opts: WebhookSenderOptions = {}): WebhookSender {
  const maxBytes = opts.maxAnswerBytes ?? 4096;
  const maxDetail = opts.maxDetailChars ?? 500;
  const userAgent = opts.userAgent ?? 'shipcheck-webhook';

  return {
    async post(rawUrl, body, { timeoutMs, headers }): Promise<OutboundResult> {
      const url = httpUrl(rawUrl);
      if (!url) return { ok: false, status: null, detail: 'invalid URL (an http or https URL is needed)' };
      let payload: string;
      try {
        payload = JSON.stringify(body) ?? 'null';
      } catch (err) {
        return { ok: false, status: null, detail: `the body cannot be sent as JSON: ${(err as Error).message}` };
      }

      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': userAgent, ...headers },
          body: payload,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        return { ok: false, status: null, detail: noAnswer(err, timeoutMs).detail };
      }

      const statusLine = `${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
      if (res.status >= 300 && res.status < 400) {
        await discard(res);
        return {
          ok: false,
          status: res.status,
          detail: `${statusLine}: redirect to ${redirectTarget(res, url)} not followed; configure the final URL`,
        };
      }
      const ok = res.status >= 200 && res.status < 300;
      if (ok) {
        // The answer of a success is not needed; reading a little lets the connection be reused.
        await readBounded(res, maxBytes).catch(() => undefined);
        return { ok, status: res.status, detail: statusLine };
      }
      let text = '';
      try {
        text = (await readBounded(res, maxBytes)).text;
      } catch (err) {
        return { ok, status: res.status, detail: `${statusLine} (the answer broke off: ${noAnswer(err, timeoutMs).detail})` };
      }
      const snippet = text.replace(/\s+/g, ' ').trim();
      const shown = snippet.length > maxDetail ? `${snippet.slice(0, maxDetail)}…` : snippet;
      return { ok, status: res.status, detail: shown ? `${statusLine}: ${shown}` : statusLine };
    },
  };
}
