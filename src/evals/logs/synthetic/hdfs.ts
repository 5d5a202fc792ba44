import { type LogStyle, one } from './types.js';
import type { Gen } from './vocab.js';

/**
 * HDFS DataNode / NameNode lines in the format of the public HDFS logs
 * (`081109 203615 148 INFO dfs.DataNode$PacketResponder: …`), with the
 * event shapes those logs are known for: block receive, allocate, serve,
 * replicate, delete, and the exceptions around them.
 */
const head = (g: Gen, level: string, component: string) => `${g.compactTime()} ${g.int(13, 30000)} ${level} ${component}: `;
const addr = (g: Gen) => `${g.ip()}:50010`;
const tmpPath = (g: Gen) =>
  `/user/root/rand${g.int(1, 9)}/_temporary/_task_200811092030_0001_m_${String(g.int(0, 999999)).padStart(6, '0')}_0/part-${String(g.int(0, 99999)).padStart(5, '0')}`;

export const hdfs: LogStyle = {
  name: 'hdfs',
  about: 'HDFS DataNode and NameNode block events (format of the public HDFS logs)',
  events: [
    one(
      'hdfs-receiving',
      30,
      (g) => head(g, 'INFO', 'dfs.DataNode$DataXceiver') + `Receiving block ${g.blk()} src: /${g.ip()}:${g.port()} dest: /${addr(g)}`,
    ),
    one('hdfs-allocate', 12, (g) => head(g, 'INFO', 'dfs.FSNamesystem') + `BLOCK* NameSystem.allocateBlock: ${tmpPath(g)}. ${g.blk()}`),
    one(
      'hdfs-responder-terminating',
      28,
      (g) => head(g, 'INFO', 'dfs.DataNode$PacketResponder') + `PacketResponder ${g.int(0, 2)} for block ${g.blk()} terminating`,
    ),
    one(
      'hdfs-received-block',
      28,
      (g) => head(g, 'INFO', 'dfs.DataNode$PacketResponder') + `Received block ${g.blk()} of size ${g.int(1000, 67108864)} from /${g.ip()}`,
    ),
    one(
      'hdfs-addstoredblock',
      30,
      (g) =>
        head(g, 'INFO', 'dfs.FSNamesystem') +
        `BLOCK* NameSystem.addStoredBlock: blockMap updated: ${addr(g)} is added to ${g.blk()} size ${g.int(1000, 67108864)}`,
    ),
    one('hdfs-served', 10, (g) => head(g, 'INFO', 'dfs.DataNode$DataXceiver') + `${addr(g)} Served block ${g.blk()} to /${g.ip()}`),
    one(
      'hdfs-serve-exception',
      4,
      (g) => head(g, 'WARN', 'dfs.DataNode$DataXceiver') + `${addr(g)}:Got exception while serving ${g.blk()} to /${g.ip()}:`,
    ),
    one(
      'hdfs-transmitted',
      3,
      (g) => head(g, 'INFO', 'dfs.DataNode$DataTransfer') + `${addr(g)}:Transmitted block ${g.blk()} to /${addr(g)}`,
    ),
    one(
      'hdfs-starting-transfer',
      3,
      (g) => head(g, 'INFO', 'dfs.DataNode') + `${addr(g)} Starting thread to transfer block ${g.blk()} to ${addr(g)}`,
    ),
    one(
      'hdfs-ask-replicate',
      3,
      (g) => head(g, 'INFO', 'dfs.FSNamesystem') + `BLOCK* ask ${addr(g)} to replicate ${g.blk()} to datanode(s) ${addr(g)}`,
    ),
    one(
      'hdfs-invalidset',
      8,
      (g) => head(g, 'INFO', 'dfs.FSNamesystem') + `BLOCK* NameSystem.delete: ${g.blk()} is added to invalidSet of ${addr(g)}`,
    ),
    one(
      'hdfs-deleting',
      8,
      (g) =>
        head(g, 'INFO', 'dfs.FSDataset') + `Deleting block ${g.blk()} file /mnt/hadoop/dfs/data/current/subdir${g.int(0, 63)}/${g.blk()}`,
    ),
    one(
      'hdfs-receiveblock-exception',
      2,
      (g) =>
        head(g, 'INFO', 'dfs.DataNode$BlockReceiver') +
        `Exception in receiveBlock for block ${g.blk()} java.io.IOException: Connection reset by peer`,
    ),
    one(
      'hdfs-responder-exception',
      2,
      (g) =>
        head(g, 'INFO', 'dfs.DataNode$PacketResponder') +
        `PacketResponder ${g.blk()} ${g.int(0, 2)} Exception java.io.IOException: Broken pipe`,
    ),
    one(
      'hdfs-writeblock-exception',
      2,
      (g) =>
        head(g, 'INFO', 'dfs.DataNode$DataXceiver') +
        `writeBlock ${g.blk()} received exception java.io.IOException: Could not read from stream`,
    ),
    one(
      'hdfs-removing-needed',
      1,
      (g) =>
        head(g, 'INFO', 'dfs.FSNamesystem') + `BLOCK* Removing block ${g.blk()} from neededReplications as it does not belong to any file.`,
    ),
    one(
      'hdfs-failed-transfer',
      1,
      (g) =>
        head(g, 'WARN', 'dfs.DataNode') +
        `${addr(g)}:Failed to transfer ${g.blk()} to ${addr(g)} got java.net.SocketException: Connection reset`,
    ),
    one('hdfs-verification', 4, (g) => head(g, 'INFO', 'dfs.DataBlockScanner') + `Verification succeeded for ${g.blk()}`),
    one(
      'hdfs-redundant',
      1,
      (g) =>
        head(g, 'INFO', 'dfs.FSNamesystem') +
        `BLOCK* NameSystem.addStoredBlock: Redundant addStoredBlock request received for ${g.blk()} on ${addr(g)} size ${g.int(1000, 67108864)}`,
    ),
    one('hdfs-empty-packet', 1, (g) => head(g, 'INFO', 'dfs.DataNode$BlockReceiver') + `Receiving empty packet for block ${g.blk()}`),
    one(
      'hdfs-unexpected-error',
      0.5,
      (g) => head(g, 'WARN', 'dfs.FSDataset') + `Unexpected error trying to delete block ${g.blk()}. BlockInfo not found in volumeMap.`,
    ),
    one(
      'hdfs-pending-timeout',
      0.5,
      (g) =>
        head(g, 'WARN', 'dfs.PendingReplicationBlocks$PendingReplicationMonitor') + `PendingReplicationMonitor timed out block ${g.blk()}`,
    ),
  ],
};
