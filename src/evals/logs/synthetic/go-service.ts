import { type EventSpec, type LogStyle, one } from './types.js';
import type { Gen } from './vocab.js';

/**
 * A Go HTTP service on Kubernetes: logfmt lines (log/slog's text handler)
 * and JSON lines (zap), mixed as two libraries in one binary print them,
 * plus the occasional panic with its goroutine trace.
 *
 * Labelling of "request completed" lines: as for access logs, the status
 * is part of the event (`go-request:<status>`), the method, path and timings
 * are parameters.
 */
const fmt = (g: Gen, level: string, rest: string) => `time=${g.isoTime('T', '.', 'Z')} level=${level} ${rest}`;
const epoch = (g: Gen) => (1718182800 + g.int(0, 7200) + g.float()).toFixed(6);
const zap = (g: Gen, level: string, caller: string, msg: string, fields: Record<string, unknown>) =>
  JSON.stringify({ level, ts: Number(epoch(g)), caller, msg, ...fields });

function request(method: string, status: number, weight: number): EventSpec {
  return one(`go-request:${status}`, weight, (g) => {
    const path = method === 'GET' ? g.pick([`/api/v1/orders/${g.int(1000, 99999)}`, '/api/v1/orders', '/healthz']) : '/api/v1/orders';
    return fmt(
      g,
      status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info',
      `msg="request completed" method=${method} path=${path} status=${status} duration=${g.goDuration()} request_id=${g.requestId()}`,
    );
  });
}

const FRAMES = [
  ['main.(*Server).handleCharge', '/app/server.go:188'],
  ['net/http.HandlerFunc.ServeHTTP', '/usr/local/go/src/net/http/server.go:2166'],
  ['github.com/go-chi/chi/v5.(*Mux).routeHTTP', '/go/pkg/mod/github.com/go-chi/chi/v5@v5.0.12/mux.go:459'],
  ['net/http.(*conn).serve', '/usr/local/go/src/net/http/server.go:2009'],
];

export const goService: LogStyle = {
  name: 'go-service',
  about: 'a Go HTTP service: slog logfmt and zap JSON lines, with a panic trace now and then',
  events: [
    request('GET', 200, 40),
    request('GET', 404, 4),
    request('GET', 500, 1),
    request('POST', 201, 12),
    request('POST', 400, 3),
    request('POST', 503, 1),
    one('go-charge-created', 8, (g) =>
      zap(g, 'info', 'payments/charge.go:88', 'charge created', {
        order_id: g.int(1000, 99999),
        amount_cents: g.int(100, 99999),
        currency: g.pick(['EUR', 'USD', 'GBP']),
      }),
    ),
    one('go-charge-failed', 2, (g) =>
      zap(g, 'error', 'payments/charge.go:112', 'charge failed', {
        order_id: g.int(1000, 99999),
        error: g.pick(['card declined: insufficient funds', 'card declined: expired card', 'psp: upstream returned 502']),
      }),
    ),
    one('go-retrying', 3, (g) =>
      fmt(
        g,
        'warn',
        `msg="retrying request" attempt=${g.int(1, 4)} max_attempts=5 backoff=${g.int(1, 9) * 100}ms err="context deadline exceeded"`,
      ),
    ),
    one('go-cache-refreshed', 6, (g) => fmt(g, 'info', `msg="cache refreshed" entries=${g.int(100, 90000)} took=${g.goDuration()}`)),
    one('go-db-connected', 0.5, (g) =>
      fmt(g, 'info', `msg="connected to database" host=db-primary.${g.namespace()}.svc port=5432 pool_size=${g.pick([10, 20, 50])}`),
    ),
    one('go-publish-failed', 1, (g) =>
      fmt(
        g,
        'error',
        `msg="failed to publish event" topic=orders.${g.pick(['created', 'paid', 'shipped'])} partition=${g.int(0, 11)} err="kafka: client has run out of available brokers to talk to"`,
      ),
    ),
    one('go-flag', 5, (g) =>
      fmt(
        g,
        'debug',
        `msg="feature flag evaluated" flag=${g.pick(['new-checkout', 'fast-search', 'dark-mode'])} user_id=${g.uuid()} variant=${g.pick(['on', 'off'])}`,
      ),
    ),
    one('go-consumer-lag', 4, (g) =>
      zap(g, 'info', 'events/consumer.go:61', 'consumer lag', {
        topic: `orders.${g.pick(['created', 'paid'])}`,
        partition: g.int(0, 11),
        lag: g.int(0, 5000),
      }),
    ),
    one('go-slow-query', 2, (g) =>
      zap(g, 'warn', 'store/query.go:47', 'slow query', { table: g.table(), duration_ms: g.int(500, 9000), rows: g.int(0, 100000) }),
    ),
    one('go-listening', 0.3, (g) => fmt(g, 'info', `msg="server listening" addr=:${g.pick([8080, 9090])}`)),
    one('go-shutdown', 0.3, (g) => fmt(g, 'info', `msg="shutting down" signal=terminated grace=${g.int(10, 30)}s`)),
    {
      weight: 0.3,
      emit: (g) => [
        { label: 'go-panic', line: 'panic: runtime error: invalid memory address or nil pointer dereference' },
        { label: 'go-signal', line: `[signal SIGSEGV: segmentation violation code=0x1 addr=0x${g.hex(2)} pc=0x${g.hex(6)}]` },
        { label: 'go-blank', line: '' },
        { label: 'go-goroutine', line: `goroutine ${g.int(1, 9999)} [running]:` },
        ...FRAMES.flatMap(([fn, file]) => [
          { label: 'go-frame-func', line: `${fn}(0xc000${g.hex(6)}, {0x${g.hex(7)}, 0xc000${g.hex(6)}})` },
          { label: 'go-frame-file', line: `\t${file} +0x${g.hex(3)}` },
        ]),
      ],
    },
  ],
};
