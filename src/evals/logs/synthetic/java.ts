import { type LogStyle, one, type LabelledLine } from './types.js';
import type { Gen } from './vocab.js';

/**
 * A Spring Boot service with log4j-style lines (`%d [%t] %-5p %c{1.} - %m`),
 * HikariCP and Kafka client lines, and exceptions printed with their stack
 * traces. Every `\tat …` frame is printed by one statement of the JVM
 * (Throwable.printStackTrace), so all frames share one label; so do all
 * `\t... N more` lines. An exception's first line is labelled by the
 * message format of the code that threw it.
 */
const THREADS = (g: Gen) =>
  g.pick([`http-nio-8080-exec-${g.int(1, 200)}`, 'main', `scheduling-${g.int(1, 4)}`, `kafka-consumer-orders-${g.int(0, 3)}`]);
const head = (g: Gen, level: string, logger: string) => `${g.isoTime(' ', ',')} [${THREADS(g)}] ${level.padEnd(5)} ${logger} - `;
const frame = (f: string): LabelledLine => ({ label: 'java-frame', line: `\tat ${f}` });

const INVENTORY_FRAMES = [
  'com.acme.shop.inventory.InventoryService.reserve(InventoryService.java:142)',
  'com.acme.shop.order.OrderService.place(OrderService.java:88)',
  'com.acme.shop.order.OrderController.create(OrderController.java:41)',
  'java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)',
  'java.base/java.lang.reflect.Method.invoke(Method.java:580)',
  'org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)',
];
const JDBC_FRAMES = [
  'java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)',
  'java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:314)',
  'org.postgresql.core.VisibleBufferedInputStream.readMore(VisibleBufferedInputStream.java:161)',
  'org.postgresql.core.PGStream.receiveChar(PGStream.java:467)',
  'org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:555)',
];
const DECLINES = ['insufficient funds', 'card expired', 'do not honour', 'suspected fraud, contact issuer'];

export const java: LogStyle = {
  name: 'java',
  about: 'a Spring Boot service: log4j-style lines, HikariCP and Kafka clients, stack traces',
  events: [
    one(
      'java-received-order',
      20,
      (g) => head(g, 'INFO', 'c.a.s.o.OrderController') + `Received order ${g.int(100000, 999999)} for customer ${g.email()}`,
    ),
    one(
      'java-order-placed',
      18,
      (g) =>
        head(g, 'INFO', 'c.a.s.o.OrderService') +
        `Order ${g.int(100000, 999999)} placed, total ${(g.float() * 500).toFixed(2)} EUR, ${g.int(1, 12)} items`,
    ),
    one(
      'java-sql',
      12,
      (g) => head(g, 'DEBUG', 'org.hibernate.SQL') + 'select o1_0.id,o1_0.status,o1_0.total from orders o1_0 where o1_0.id=?',
    ),
    one(
      'java-calling-psp',
      10,
      (g) =>
        head(g, 'INFO', 'c.a.s.p.PaymentClient') +
        `Calling payment provider https://psp.example.com/v2/charges for order ${g.int(100000, 999999)}`,
    ),
    one('java-authorised', 9, (g) => head(g, 'INFO', 'c.a.s.p.PaymentClient') + `Payment ${g.uuid()} authorised in ${g.int(20, 3000)} ms`),
    one('java-declined', 2, (g) => head(g, 'WARN', 'c.a.s.p.PaymentClient') + `Payment ${g.uuid()} declined: ${g.pick(DECLINES)}`),
    one(
      'java-kafka-offset',
      4,
      (g) =>
        head(g, 'INFO', 'o.a.k.c.c.i.ConsumerCoordinator') +
        `[Consumer clientId=consumer-orders-${g.int(1, 4)}, groupId=orders] Setting offset for partition orders-${g.int(0, 11)} to the committed offset FetchPosition{offset=${g.int(0, 9999999)}, offsetEpoch=Optional.empty, currentLeader=LeaderAndEpoch{leader=Optional[kafka-${g.int(0, 2)}.kafka:9092 (id: ${g.int(0, 2)} rack: null)], epoch=${g.int(0, 40)}}}`,
    ),
    one(
      'java-hikari-timeout',
      1.5,
      (g) =>
        head(g, 'WARN', 'c.z.h.p.HikariPool') +
        `HikariPool-1 - Connection is not available, request timed out after ${g.int(30000, 30999)}ms.`,
    ),
    one(
      'java-hikari-validate',
      1,
      (g) =>
        head(g, 'WARN', 'c.z.h.p.PoolBase') +
        `HikariPool-1 - Failed to validate connection org.postgresql.jdbc.PgConnection@${g.hex(8)} (This connection has been closed.). Possibly consider using a shorter maxLifetime value.`,
    ),
    one('java-hikari-started', 0.3, (g) => head(g, 'INFO', 'c.z.h.HikariDataSource') + 'HikariPool-1 - Start completed.'),
    one(
      'java-tomcat-started',
      0.3,
      (g) => head(g, 'INFO', 'o.s.b.w.e.t.TomcatWebServer') + "Tomcat started on port 8080 (http) with context path '/'",
    ),
    one(
      'java-app-started',
      0.3,
      (g) =>
        head(g, 'INFO', 'c.a.s.ShopApplication') +
        `Started ShopApplication in ${(g.float() * 20 + 5).toFixed(3)} seconds (process running for ${(g.float() * 20 + 6).toFixed(3)})`,
    ),
    one(
      'java-validation',
      2,
      (g) =>
        head(g, 'WARN', 'o.s.w.s.m.s.DefaultHandlerExceptionResolver') +
        `Resolved [org.springframework.web.bind.MethodArgumentNotValidException: Validation failed for argument [0]: [Field error in object 'orderRequest' on field 'quantity': rejected value [${g.int(-5, 0)}]]]`,
    ),
    {
      weight: 1.5,
      emit: (g) => {
        const order = g.int(100000, 999999);
        return [
          {
            label: 'java-reserve-failed',
            line: head(g, 'ERROR', 'c.a.s.o.OrderService') + `Failed to reserve inventory for order ${order}`,
          },
          {
            label: 'java-exc-inventory',
            line: `java.lang.IllegalStateException: Inventory for SKU ${g.chars('ABCDEFGHJKLMNPQRSTUVWXYZ', 3)}-${g.int(1000, 9999)} is negative: ${g.int(-20, -1)}`,
          },
          ...INVENTORY_FRAMES.slice(0, g.int(3, INVENTORY_FRAMES.length)).map(frame),
          { label: 'java-more', line: `\t... ${g.int(40, 90)} more` },
        ];
      },
    },
    {
      weight: 1,
      emit: (g) => [
        {
          label: 'java-servlet-exception',
          line:
            head(g, 'ERROR', 'o.a.c.c.C.[.[.[/].[dispatcherServlet]') +
            'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection] with root cause',
        },
        { label: 'java-exc-read-timeout', line: 'java.net.SocketTimeoutException: Read timed out' },
        ...JDBC_FRAMES.map(frame),
        { label: 'java-caused-psql', line: 'Caused by: org.postgresql.util.PSQLException: The connection attempt failed.' },
        ...JDBC_FRAMES.slice(3).map(frame),
        { label: 'java-more', line: `\t... ${g.int(40, 90)} more` },
      ],
    },
  ],
};
