import { Rng } from '../../rng.js';

/**
 * The volatile values of generated log lines: addresses, ids, names,
 * durations, drawn from a seeded Rng. Names are words on purpose (users,
 * tables, services): real logs have parameters that no mask catches, and
 * the miner must generalise them from the data.
 */

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'oscar', 'peggy', 'trent'];
const TABLES = ['orders', 'customers', 'payments', 'invoices', 'line_items', 'shipments', 'refunds', 'sessions', 'audit_log', 'products'];
const SERVICES = ['payments', 'checkout', 'inventory', 'search', 'auth', 'notifications', 'shipping', 'catalog'];
const NAMESPACES = ['default', 'payments', 'checkout', 'kube-system', 'monitoring', 'ingress-nginx'];
const K8S = 'bcdfghjklmnpqrstvwxz2456789';
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export class Gen extends Rng {
  /** Seconds since the log's start: advances with every line, so timestamps move forward like a real log's. */
  private clock = 0;

  tick(): void {
    this.clock += this.int(0, 3);
  }

  private parts() {
    const t = Date.UTC(2024, 5, 12, 9, 0, 0) + this.clock * 1000;
    const d = new Date(t);
    return {
      y: d.getUTCFullYear(),
      mo: d.getUTCMonth() + 1,
      d: d.getUTCDate(),
      h: d.getUTCHours(),
      mi: d.getUTCMinutes(),
      s: d.getUTCSeconds(),
      ms: this.int(0, 999),
    };
  }

  /** 2024-06-12 10:11:12,123 (log4j) or with '.' (Postgres), or T…Z (RFC 3339). */
  isoTime(sep: ' ' | 'T' = ' ', frac: ',' | '.' = '.', zone = ''): string {
    const p = this.parts();
    return `${p.y}-${pad(p.mo)}-${pad(p.d)}${sep}${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}${frac}${pad(p.ms, 3)}${zone}`;
  }

  /** 081109 203615 (HDFS) */
  compactTime(): string {
    const p = this.parts();
    return `${pad(p.y % 100)}${pad(p.mo)}${pad(p.d)} ${pad(p.h)}${pad(p.mi)}${pad(p.s)}`;
  }

  /** 12/Jun/2024:10:11:12 +0000 (common log format) */
  clfTime(): string {
    const p = this.parts();
    return `${pad(p.d)}/${MONTHS[p.mo - 1]}/${p.y}:${pad(p.h)}:${pad(p.mi)}:${pad(p.s)} +0000`;
  }

  /** 2024/06/12 10:11:12 (nginx error log, Go's log package) */
  slashTime(): string {
    const p = this.parts();
    return `${p.y}/${pad(p.mo)}/${pad(p.d)} ${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}`;
  }

  /** 0612 10:11:12.123456 (klog, after the level letter) */
  klogTime(): string {
    const p = this.parts();
    return `${pad(p.mo)}${pad(p.d)} ${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}.${pad(p.ms, 3)}${pad(this.int(0, 999), 3)}`;
  }

  ip(): string {
    return `10.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`;
  }

  publicIp(): string {
    return `${this.int(11, 223)}.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`;
  }

  port(): number {
    return this.int(1024, 65535);
  }

  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${this.pick(['8', '9', 'a', 'b'])}${this.hex(3)}-${this.hex(12)}`;
  }

  /** HDFS block id: blk_ and a signed 64-bit number. */
  blk(): string {
    return `blk_${this.chance(0.5) ? '-' : ''}${this.int(1, 9)}${this.chars('0123456789', this.int(14, 18))}`;
  }

  /** Base62 request id, 12–20 characters. */
  requestId(): string {
    return this.chars(BASE62, this.int(12, 20));
  }

  sha(n = 7): string {
    return this.hex(n);
  }

  user(): string {
    return this.pick(USERS);
  }

  email(): string {
    return `${this.user()}.${this.pick(['smith', 'jones', 'lee', 'garcia'])}@${this.pick(['example.com', 'mail.example.org', 'corp.example.net'])}`;
  }

  table(): string {
    return this.pick(TABLES);
  }

  service(): string {
    return this.pick(SERVICES);
  }

  namespace(): string {
    return this.pick(NAMESPACES);
  }

  /** A Deployment's pod: <name>-<replicaset hash>-<5 chars>. */
  pod(name = this.service()): string {
    return `${name}-${this.chars(K8S, this.int(8, 10))}-${this.chars(K8S, 5)}`;
  }

  node(): string {
    return `ip-10-${this.int(0, 255)}-${this.int(0, 255)}-${this.int(1, 254)}.ec2.internal`;
  }

  /** Milliseconds as printed by a service: 12.345 or 87 */
  millis(): string {
    return this.chance(0.5) ? (this.float() * 900).toFixed(3) : String(this.int(1, 4000));
  }

  /** A Go time.Duration: 87.2ms, 1.204s, 312µs, 1m2.5s */
  goDuration(): string {
    const r = this.float();
    if (r < 0.2) return `${this.int(100, 999)}µs`;
    if (r < 0.75) return `${(this.float() * 900 + 1).toFixed(1)}ms`;
    if (r < 0.95) return `${(this.float() * 9 + 1).toFixed(3)}s`;
    return `${this.int(1, 5)}m${(this.float() * 59).toFixed(1)}s`;
  }

  bytes(): number {
    return this.int(0, 2_000_000);
  }
}
