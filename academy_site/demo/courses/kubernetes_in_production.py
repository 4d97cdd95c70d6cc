"""Kubernetes in Production (kubernetes-in-production): the course page, its modules
with their quizzes and assignments, and its runs.
"""

from academy_site.demo.blocks import (
    assignment,
    callout,
    heading,
    multiple,
    numeric,
    paragraph,
    quiz,
    single,
    true_false,
    video,
)
from academy_site.demo.people import TEACHING_INSTRUCTOR

# Fixed block ids: trainees' attempts and submissions name them.
K8S_QUIZ = "demo-quiz-k8s-1"
K8S_ASSIGNMENT = "demo-assignment-k8s-1"

COURSE = {
    "slug": "kubernetes-in-production",
    "title": "Kubernetes in Production",
    "summary": (
        "Run containerised services on Kubernetes with confidence: deployments, "
        "networking, storage, observability and safe upgrades, practised on a "
        "real multi-node cluster."
    ),
    "learning_outcomes": [
        "Design deployments, services and ingress for a multi-service application",
        "Manage configuration and secrets without baking them into images",
        "Choose persistent storage and plan backups for stateful workloads",
        "Set up metrics, logs and alerts that catch problems before users do",
        "Roll out and roll back releases with zero downtime",
    ],
    "level": "advanced",
    "language": "en",
    "format": "blended",
    "duration_hours": "32",
    "price_member": "36000",
    "price_non_member": "60000",
    "enrolment_policy": "approval",
    "attendance_threshold_percent": 75,
    "pass_mark_percent": 70,
    "topics": ["cloud-devops"],
    "instructors": ["Nenad Šćekić", "Marko Nikolić"],
    "body": [
        heading("Who this course is for"),
        paragraph(
            "<p>Developers and operations engineers who already ship containers "
            "and now have to keep them running. Two full-day workshops in a "
            "classroom frame four evening sessions online; between sessions you "
            "work through labs on your own cluster namespace.</p>"
        ),
        callout(
            "warning",
            "Prerequisites",
            "<p>You should be comfortable with Docker and the Linux command "
            "line. Places are confirmed by the academy after a short "
            "questionnaire.</p>",
        ),
        video(
            "https://www.youtube.com/watch?v=X48VuDVv0do",
            "Kubernetes tutorial for beginners (TechWorld with Nana)",
            "Optional refresher before the first workshop.",
        ),
    ],
    "modules": [
        {
            "slug": "cluster-architecture-and-workloads",
            "title": "Cluster architecture and workloads",
            "summary": "Control plane, nodes, pods, deployments and jobs.",
            "estimated_minutes": 120,
            "body": [
                heading("What runs where"),
                paragraph(
                    "<p>We take a cluster apart: the API server, the scheduler, "
                    "the kubelet, and how a deployment becomes running pods.</p>"
                ),
            ],
            "assessments": [
                quiz(
                    K8S_QUIZ,
                    title="Check: cluster architecture",
                    introduction=(
                        "Four questions on what runs where. You need 70% of "
                        "the points to pass and have three attempts of 15 "
                        "minutes each."
                    ),
                    time_limit_minutes=15,
                    questions=[
                        single(
                            "Which component decides on which node a new pod " "runs?",
                            [
                                ("kube-scheduler", True),
                                ("kubelet", False),
                                ("kube-proxy", False),
                                ("etcd", False),
                            ],
                        ),
                        multiple(
                            "Which of these objects keep a set number of pod "
                            "replicas running?",
                            [
                                ("Deployment", True),
                                ("StatefulSet", True),
                                ("ConfigMap", False),
                                ("Service", False),
                            ],
                        ),
                        true_false(
                            "Deleting a pod that belongs to a Deployment "
                            "removes it for good.",
                            answer=False,
                        ),
                        numeric(
                            "A Deployment with replicas: 4 is updated with "
                            "maxSurge: 1 and maxUnavailable: 0. At most how "
                            "many of its pods run at the same time during the "
                            "rollout?",
                            answer="5",
                        ),
                    ],
                ),
            ],
        },
        {
            "slug": "networking-and-ingress",
            "title": "Networking and ingress",
            "summary": "Services, DNS, ingress controllers and network policies.",
            "estimated_minutes": 120,
            "body": [
                paragraph(
                    "<p>Expose an application to the outside world, terminate "
                    "TLS at the ingress and restrict traffic between namespaces "
                    "with network policies.</p>"
                ),
            ],
            "assessments": [
                assignment(
                    K8S_ASSIGNMENT,
                    title="Lab: expose the shop, protect its database",
                    instructions=(
                        "<p>In your lab namespace:</p><ol>"
                        "<li>Write an Ingress that publishes the <b>frontend</b> "
                        "service at <i>shop.lab.klaster.example</i>, with TLS "
                        "from the cluster's certificate issuer.</li>"
                        "<li>Write a NetworkPolicy that lets only the <b>api</b> "
                        "pods reach PostgreSQL on port 5432.</li>"
                        "<li>Explain in a few sentences how you checked that "
                        "other pods are refused.</li></ol>"
                        "<p>Paste the manifests and your explanation as text, "
                        "or attach them as one file.</p>"
                    ),
                    max_points="20",
                    deadline_in_days=14,
                ),
            ],
        },
        {
            "slug": "storage-and-stateful-workloads",
            "title": "Storage and stateful workloads",
            "summary": "Volumes, storage classes, StatefulSets and backups.",
            "estimated_minutes": 90,
            "body": [
                paragraph(
                    "<p>Run PostgreSQL on a StatefulSet, resize a volume and "
                    "restore it from a snapshot.</p>"
                ),
                callout(
                    "info",
                    "Lab",
                    "<p>The lab cluster is reset every night at 02:00.</p>",
                ),
            ],
        },
        {
            "slug": "observability-and-upgrades",
            "title": "Observability and upgrades",
            "summary": "Metrics, logs, alerts and upgrading without downtime.",
            "estimated_minutes": 120,
            "body": [
                paragraph(
                    "<p>Instrument a service with Prometheus, write alerts that "
                    "wake the right person, and upgrade the cluster one node "
                    "at a time.</p>"
                ),
            ],
        },
    ],
    "schedule": [
        (0, "09:00", 240, "room", "Kick-off workshop: cluster architecture"),
        (2, "17:30", 150, "online", "Workloads and rollouts"),
        (7, "17:30", 150, "online", "Networking and ingress"),
        (9, "17:30", 150, "online", "Storage and stateful workloads"),
        (14, "17:30", 150, "online", "Observability"),
        (21, "09:00", 240, "room", "Final workshop: production drill"),
    ],
    "runs": [
        # Ended: its trainees' evaluation is the demo's results page.
        {
            "starts_in_days": -180,
            "location": "beograd",
            "capacity": 18,
            "also_taught_by": [TEACHING_INSTRUCTOR],
        },
        # Started last week: the demo's run in progress.
        {
            "starts_in_days": -10,
            "location": "novi-sad",
            "capacity": 20,
            "also_taught_by": [TEACHING_INSTRUCTOR],
        },
        {"starts_in_days": 60, "location": "nis", "capacity": 15},
    ],
}
