import { type LogStyle, one } from './types.js';
import type { Gen } from './vocab.js';

/**
 * Kubernetes node and control-plane components (kubelet, controllers,
 * scheduler) in klog's format, old-style printf messages and the newer
 * structured ones (`"Message" key="value" …`).
 */
const head = (g: Gen, letter: string, caller: string) =>
  `${letter}${g.klogTime()} ${String(g.pick([1187, 2243, 3310])).padStart(7)} ${caller}] `;
const podRef = (g: Gen) => `${g.namespace()}/${g.pod()}`;
const KINDS = ['*v1.ConfigMap', '*v1.Secret', '*v1.Pod', '*v1.Endpoints', '*v1.Service'];
const REASONS: [string, (g: Gen) => string][] = [
  [
    'Pulled',
    (g) => `Container image \\"registry.example.com/${g.service()}:1.${g.int(0, 60)}.${g.int(0, 9)}\\" already present on machine`,
  ],
  ['Created', () => 'Created container app'],
  ['Started', () => 'Started container app'],
  ['Killing', () => 'Stopping container app'],
  ['BackOff', () => 'Back-off restarting failed container app in pod'],
];

export const k8s: LogStyle = {
  name: 'k8s',
  about: 'Kubernetes kubelet, controller-manager and scheduler lines in klog format',
  events: [
    one('k8s-syncloop-update', 14, (g) => head(g, 'I', 'kubelet.go:2428') + `"SyncLoop UPDATE" source="api" pods=["${podRef(g)}"]`),
    one('k8s-syncloop-add', 4, (g) => head(g, 'I', 'kubelet.go:2412') + `"SyncLoop ADD" source="api" pods=["${podRef(g)}"]`),
    one('k8s-syncloop-delete', 3, (g) => head(g, 'I', 'kubelet.go:2434') + `"SyncLoop DELETE" source="api" pods=["${podRef(g)}"]`),
    one(
      'k8s-syncloop-probe',
      12,
      (g) =>
        head(g, 'I', 'kubelet.go:2519') +
        `"SyncLoop (probe)" probe="${g.pick(['readiness', 'liveness'])}" status="${g.pick(['ready', ''])}" pod="${podRef(g)}"`,
    ),
    one('k8s-probe-failed', 5, (g) => {
      const ip = g.ip();
      return (
        head(g, 'I', 'prober.go:107') +
        `"Probe failed" probeType="${g.pick(['Readiness', 'Liveness'])}" pod="${podRef(g)}" podUID="${g.uuid()}" containerName="app" probeResult="failure" output="Get \\"http://${ip}:8080/healthz\\": dial tcp ${ip}:8080: connect: connection refused"`
      );
    }),
    one(
      'k8s-killing',
      3,
      (g) =>
        head(g, 'I', 'kuberuntime_container.go:779') +
        `"Killing container with a grace period" pod="${podRef(g)}" podUID="${g.uuid()}" containerName="app" containerID="containerd://${g.hex(64)}" gracePeriod=30`,
    ),
    one(
      'k8s-error-syncing',
      2,
      (g) =>
        head(g, 'E', 'pod_workers.go:1298') +
        `"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"app\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container=app pod=${g.pod()}_${g.namespace()}(${g.uuid()})\\"" pod="${podRef(g)}" podUID="${g.uuid()}"`,
    ),
    one('k8s-mount-started', 6, (g) => {
      const vol = `kube-api-access-${g.chars('bcdfghjklmnpqrstvwxz2456789', 5)}`;
      const uid = g.uuid();
      const pod = g.pod();
      return (
        head(g, 'I', 'reconciler_common.go:258') +
        `"operationExecutor.MountVolume started for volume \\"${vol}\\" (UniqueName: \\"kubernetes.io/projected/${uid}-${vol}\\") pod \\"${pod}\\" (UID: \\"${uid}\\") " pod="${g.namespace()}/${pod}"`
      );
    }),
    one(
      'k8s-list-forbidden',
      2,
      (g) =>
        head(g, 'W', 'reflector.go:539') +
        `k8s.io/client-go/informers/factory.go:159: failed to list ${g.pick(KINDS)}: configmaps "${g.service()}-config" is forbidden: User "system:serviceaccount:${g.namespace()}:default" cannot list resource "configmaps" in API group "" in the namespace "${g.namespace()}"`,
    ),
    one('k8s-watch-failed', 1, (g) => {
      const kind = g.pick(KINDS);
      return (
        head(g, 'E', 'reflector.go:147') +
        `k8s.io/client-go/informers/factory.go:159: Failed to watch ${kind}: failed to list ${kind}: Get "https://10.96.0.1:443/api/v1/namespaces/${g.namespace()}/configmaps?limit=500&resourceVersion=0": dial tcp 10.96.0.1:443: i/o timeout`
      );
    }),
    one(
      'k8s-acquire-lease',
      0.5,
      (g) =>
        head(g, 'I', 'leaderelection.go:250') +
        `attempting to acquire leader lease kube-system/kube-${g.pick(['scheduler', 'controller-manager'])}...`,
    ),
    one(
      'k8s-acquired-lease',
      0.5,
      (g) =>
        head(g, 'I', 'leaderelection.go:260') +
        `successfully acquired lease kube-system/kube-${g.pick(['scheduler', 'controller-manager'])}`,
    ),
    one('k8s-event', 10, (g) => {
      const [reason, message] = g.pick(REASONS);
      const pod = podRef(g);
      return (
        head(g, 'I', 'event.go:307') +
        `"Event occurred" object="${pod}" fieldPath="spec.containers{app}" kind="Pod" apiVersion="v1" type="${reason === 'BackOff' || reason === 'Killing' ? 'Warning' : 'Normal'}" reason="${reason}" message="${message(g)}"`
      );
    }),
    one(
      'k8s-finished-syncing',
      10,
      (g) =>
        head(g, 'I', 'replica_set.go:676') +
        `"Finished syncing" kind="ReplicaSet" key="${g.namespace()}/${g.service()}-${g.chars('bcdfghjklmnpqrstvwxz2456789', 10)}" duration="${g.goDuration()}"`,
    ),
    one(
      'k8s-bound',
      4,
      (g) =>
        head(g, 'I', 'schedule_one.go:286') +
        `"Successfully bound pod to node" pod="${podRef(g)}" node="${g.node()}" evaluatedNodes=${g.int(3, 12)} feasibleNodes=${g.int(1, 3)}`,
    ),
    one('k8s-unschedulable', 1, (g) => {
      const n = g.int(3, 12);
      return (
        head(g, 'E', 'schedule_one.go:1004') +
        `"Error scheduling pod; retrying" err="0/${n} nodes are available: ${n} Insufficient cpu. preemption: 0/${n} nodes are available: ${n} No preemption victims found for incoming pod." pod="${podRef(g)}"`
      );
    }),
    one('k8s-container-gc', 1, (g) => head(g, 'I', 'container_gc.go:88') + `"Attempting to delete unused containers"`),
    one(
      'k8s-image-gc',
      0.5,
      (g) =>
        head(g, 'I', 'image_gc_manager.go:391') +
        `"Disk usage on image filesystem is over the high threshold, trying to free bytes down to the low threshold" usage=${g.int(86, 99)} highThreshold=85 amountToFree=${g.int(100000, 9999999)} lowThreshold=80`,
    ),
    one(
      'k8s-deprecated',
      1,
      (g) =>
        head(g, 'W', 'warnings.go:70') +
        `policy/v1beta1 PodDisruptionBudget is deprecated in v1.21+, unavailable in v1.25+; use policy/v1 PodDisruptionBudget`,
    ),
  ],
};
