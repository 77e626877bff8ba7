package dev.rolloutbatch.environment.simulated;

import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.rolloutbatch.environment.simulated.Kubectl.KubectlError;

/** The kubectl commands that change the modelled cluster: patch, scale, set, rollout, delete, exec. */
final class KubectlWriter {

    private final Cluster c;

    KubectlWriter(Cluster cluster) {
        this.c = cluster;
    }

    String run(String verb, KubectlArgs args, String ns) {
        String result;
        try {
            result = write(verb, args, ns);
        }
        finally {
            // patch, set and rollout edit pod templates in place, even when they end in an error
            c.templatesMayHaveChanged();
        }
        c.reconcile();
        return result;
    }

    private String write(String verb, KubectlArgs args, String ns) {
        return switch (verb) {
            case "patch" -> patch(args, ns);
            case "scale" -> scale(args, ns);
            case "set" -> set(args, ns);
            case "rollout" -> rollout(args, ns);
            case "delete" -> delete(args, ns);
            case "exec" -> exec(args, ns);
            case "apply", "create", "replace" -> args.has("f", "filename")
                    ? "error: the path \"" + args.get("f", "filename") + "\" does not exist (no manifest files are available in this "
                            + "environment; use kubectl patch, scale, set or rollout)"
                    : "error: must specify one of -f and -k";
            default -> "Error from server (Forbidden): " + verb + " is not permitted for this user in this environment";
        };
    }

    /** Resolves "kind name" or "kind/name" positionals. */
    private String[] target(KubectlArgs args, int offset) {
        List<String> p = args.positional.subList(Math.min(offset, args.positional.size()), args.positional.size());
        if (p.isEmpty()) {
            throw new KubectlError("error: you must specify the type of resource and its name");
        }
        if (p.getFirst().contains("/")) {
            String first = p.getFirst();
            return new String[] {Kubectl.kind(first.substring(0, first.indexOf('/'))), first.substring(first.indexOf('/') + 1)};
        }
        if (p.size() < 2) {
            throw new KubectlError("error: resource name may not be empty");
        }
        return new String[] {Kubectl.kind(p.get(0)), p.get(1)};
    }

    private ObjectNode object(String kind, String name, String ns) {
        Map<String, ObjectNode> objects = switch (kind) {
            case "services" -> c.services;
            case "deployments" -> c.deployments;
            case "configmaps" -> c.configMaps;
            case "pvc" -> c.pvcs;
            case "podchaos", "networkchaos" -> c.chaos.get(kind);
            default -> throw new KubectlError("error: " + kind + " cannot be changed in this environment");
        };
        ObjectNode object = ns.equals(c.namespace) && !c.docker ? objects.get(name) : null;
        if (object == null) {
            throw new KubectlError("Error from server (NotFound): " + kind + " \"" + name + "\" not found");
        }
        return object;
    }

    private String patch(KubectlArgs args, String ns) {
        String[] t = target(args, 0);
        ObjectNode object = object(t[0], t[1], ns);
        String text = args.get("p", "patch");
        if (text == null) {
            return "error: must specify --patch or --patch-file containing the contents of the patch";
        }
        String type = args.get(null, "type") == null ? "strategic" : args.get(null, "type");
        JsonNode patch;
        try {
            patch = Cluster.JSON.readTree(text);
        }
        catch (RuntimeException ex) {
            return "error: unable to parse \"" + text + "\": yaml: did not find expected node content";
        }
        ObjectNode updated = object.deepCopy();
        try {
            switch (type) {
                case "json" -> applyJsonPatch(updated, patch);
                case "merge" -> merge(updated, patch, false);
                case "strategic" -> merge(updated, patch, true);
                default -> {
                    return "error: --type must be one of [json merge strategic], not \"" + type + "\"";
                }
            }
        }
        catch (IllegalArgumentException ex) {
            return "The request is invalid: " + ex.getMessage();
        }
        if (updated.equals(object)) {
            return Kubectl.singular(t[0]) + "/" + t[1] + " patched (no change)";
        }
        if (!updated.at("/metadata/name").asString().equals(t[1]) || !updated.path("kind").equals(object.path("kind"))) {
            return "The request is invalid: metadata.name and kind are immutable";
        }
        if (t[0].equals("deployments") && !updated.at(Pointers.TEMPLATE).equals(object.at(Pointers.TEMPLATE))) {
            c.newRevision(t[1], object.at(Pointers.TEMPLATE).deepCopy(), updated);
        }
        object.removeAll();
        object.setAll(updated);
        return Kubectl.singular(t[0]) + "/" + t[1] + " patched";
    }

    static void merge(ObjectNode target, JsonNode patch, boolean strategic) {
        if (!patch.isObject()) {
            throw new IllegalArgumentException("patch must be a JSON object");
        }
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            JsonNode existing = target.get(key);
            if (value.isNull()) {
                target.remove(key);
            }
            else if (value.isObject() && existing != null && existing.isObject()) {
                merge((ObjectNode) existing, value, strategic);
            }
            else if (strategic && value.isArray() && existing != null && existing.isArray() && mergeKey(value) != null) {
                mergeList((ArrayNode) existing, (ArrayNode) value, mergeKey(value));
            }
            else {
                target.set(key, value.deepCopy());
            }
        }
    }

    private static @Nullable String mergeKey(JsonNode list) {
        for (String key : List.of("name", "port", "containerPort")) {
            boolean all = !list.isEmpty();
            for (JsonNode item : list) {
                all &= item.isObject() && item.has(key);
            }
            if (all) {
                return key;
            }
        }
        return null;
    }

    private static void mergeList(ArrayNode existing, ArrayNode patch, String key) {
        for (JsonNode item : patch) {
            ObjectNode match = null;
            for (JsonNode old : existing) {
                if (old.isObject() && item.get(key).equals(old.get(key))) {
                    match = (ObjectNode) old;
                }
            }
            if (match == null) {
                existing.add(item.deepCopy());
            }
            else {
                merge(match, item, true);
            }
        }
    }

    static void applyJsonPatch(ObjectNode target, JsonNode ops) {
        if (!ops.isArray()) {
            throw new IllegalArgumentException("json patch must be an array of operations");
        }
        for (JsonNode op : ops) {
            String path = op.path("path").asString();
            String kind = op.path("op").asString();
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("invalid path \"" + path + "\"");
            }
            int slash = path.lastIndexOf('/');
            JsonNode parent = slash == 0 ? target : target.at(path.substring(0, slash));
            String last = path.substring(slash + 1).replace("~1", "/").replace("~0", "~");
            if (parent.isMissingNode()) {
                throw new IllegalArgumentException("doc is missing path: \"" + path + "\": missing value");
            }
            switch (kind) {
                case "add", "replace" -> {
                    JsonNode value = op.get("value");
                    if (value == null) {
                        throw new IllegalArgumentException("missing value for " + kind);
                    }
                    if (parent.isObject()) {
                        if (kind.equals("replace") && !parent.has(last)) {
                            throw new IllegalArgumentException("replace operation does not apply: doc is missing key: " + path);
                        }
                        ((ObjectNode) parent).set(last, value.deepCopy());
                    }
                    else if (parent.isArray()) {
                        ArrayNode array = (ArrayNode) parent;
                        int index = last.equals("-") ? array.size() : index(last, array.size() + 1);
                        if (kind.equals("replace")) {
                            array.set(index(last, array.size()), value.deepCopy());
                        }
                        else {
                            array.insert(index, value.deepCopy());
                        }
                    }
                }
                case "remove" -> {
                    if (parent.isObject() && parent.has(last)) {
                        ((ObjectNode) parent).remove(last);
                    }
                    else if (parent.isArray()) {
                        ((ArrayNode) parent).remove(index(last, parent.size()));
                    }
                    else {
                        throw new IllegalArgumentException("remove operation does not apply: doc is missing path: \"" + path + "\"");
                    }
                }
                case "test" -> {
                }
                default -> throw new IllegalArgumentException("unexpected op \"" + kind + "\"");
            }
        }
    }

    private static int index(String text, int size) {
        try {
            int i = Integer.parseInt(text);
            if (i < 0 || i >= size) {
                throw new IllegalArgumentException("index " + i + " out of bounds");
            }
            return i;
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("invalid array index \"" + text + "\"");
        }
    }

    private String scale(KubectlArgs args, String ns) {
        String[] t = target(args, 0);
        String replicas = args.get(null, "replicas");
        if (replicas == null) {
            return "error: required flag(s) \"replicas\" not set";
        }
        if (!t[0].equals("deployments")) {
            return "error: cannot scale " + t[0];
        }
        ObjectNode d = object(t[0], t[1], ns);
        int n;
        try {
            n = Integer.parseInt(replicas);
        }
        catch (NumberFormatException ex) {
            return "error: invalid argument \"" + replicas + "\" for \"--replicas\" flag: strconv.ParseInt: parsing \""
                    + replicas + "\": invalid syntax";
        }
        if (n < 0) {
            return "error: The deployment \"" + t[1] + "\" is invalid: spec.replicas: Invalid value: " + n
                    + ": must be greater than or equal to 0";
        }
        ((ObjectNode) d.get("spec")).put("replicas", n);
        c.event("Normal", "ScalingReplicaSet", "deployment/" + t[1], "Scaled replica set to " + n);
        return "deployment.apps/" + t[1] + " scaled";
    }

    private String set(KubectlArgs args, String ns) {
        if (args.positional.isEmpty()) {
            return "error: Unexpected args: []\nAvailable Commands: env, image, resources, selector, serviceaccount, subject";
        }
        String what = args.positional.getFirst();
        String[] t = target(args, 1);
        if (!t[0].equals("deployments")) {
            return "error: " + t[0] + " is not supported by set " + what + " here";
        }
        ObjectNode d = object(t[0], t[1], ns);
        List<String> assignments = args.positional.subList(args.positional.get(1).contains("/") ? 2 : 3, args.positional.size());
        if (assignments.isEmpty()) {
            return "error: at least one " + (what.equals("image") ? "image update" : "environment change") + " is required";
        }
        ObjectNode template = (ObjectNode) d.at(Pointers.TEMPLATE);
        JsonNode before = template.deepCopy();
        for (String assignment : assignments) {
            if (what.equals("image")) {
                int eq = assignment.indexOf('=');
                if (eq < 0) {
                    return "error: invalid image update \"" + assignment + "\"";
                }
                String name = assignment.substring(0, eq);
                ObjectNode container = c.container(t[1]);
                if (!name.equals("*") && !name.equals(container.path("name").asString())) {
                    return "error: unable to find container named \"" + name + "\"";
                }
                container.put("image", assignment.substring(eq + 1));
            }
            else if (what.equals("env")) {
                ObjectNode container = c.container(t[1]);
                ArrayNode env = container.has("env") ? (ArrayNode) container.get("env") : container.putArray("env");
                String key = assignment.endsWith("-") ? assignment.substring(0, assignment.length() - 1)
                        : assignment.substring(0, Math.max(0, assignment.indexOf('=')));
                if (key.isEmpty()) {
                    return "error: environment variables must be of the form key=value";
                }
                for (Iterator<JsonNode> it = env.iterator(); it.hasNext();) {
                    if (it.next().path("name").asString().equals(key)) {
                        it.remove();
                    }
                }
                if (!assignment.endsWith("-")) {
                    env.addObject().put("name", key).put("value", assignment.substring(assignment.indexOf('=') + 1));
                }
            }
            else {
                return "error: set " + what + " is not supported in this environment";
            }
        }
        if (!before.equals(template)) {
            c.newRevision(t[1], before, d);
        }
        return "deployment.apps/" + t[1] + (what.equals("image") ? " image updated" : " env updated");
    }

    private String rollout(KubectlArgs args, String ns) {
        if (args.positional.isEmpty()) {
            return "error: Required subcommand: history, pause, restart, resume, status, undo";
        }
        String sub = args.positional.getFirst();
        String[] t = target(args, 1);
        ObjectNode d = object(t[0], t[1], ns);
        switch (sub) {
            case "restart" -> {
                c.rolloutRestart(t[1]);
                return "deployment.apps/" + t[1] + " restarted";
            }
            case "undo" -> {
                Deque<JsonNode> history = c.history.get(t[1]);
                if (history == null || history.isEmpty()) {
                    return "error: no rollout history found for deployment \"" + t[1] + "\"";
                }
                ((ObjectNode) d.get("spec")).set("template", history.pop());
                c.bumpRevision(d);
                return "deployment.apps/" + t[1] + " rolled back";
            }
            case "status" -> {
                c.reconcile();
                long ready = c.podsOf(t[1]).stream().filter(p -> p.ready).count();
                return ready >= c.replicas(t[1]) ? "deployment \"" + t[1] + "\" successfully rolled out"
                        : "Waiting for deployment \"" + t[1] + "\" rollout to finish: " + ready + " of " + c.replicas(t[1])
                                + " updated replicas are available...\nerror: timed out waiting for the condition";
            }
            case "history" -> {
                int revision = Integer.parseInt(d.at(Pointers.REVISION).asString());
                StringBuilder out = new StringBuilder("deployment.apps/" + t[1] + "\nREVISION  CHANGE-CAUSE\n");
                for (int i = 1; i <= revision; i++) {
                    out.append(i).append("         <none>\n");
                }
                return out.toString().stripTrailing();
            }
            default -> {
                return "error: unknown command \"" + sub + "\" for \"kubectl rollout\"";
            }
        }
    }

    private String delete(KubectlArgs args, String ns) {
        String[] t = target(args, 0);
        if (t[0].equals("pods")) {
            List<String> names = args.positional.getFirst().contains("/") ? List.of(t[1])
                    : args.positional.subList(1, args.positional.size());
            StringBuilder out = new StringBuilder();
            for (String name : names) {
                Pod pod = ns.equals(c.namespace) ? c.pods.stream().filter(p -> p.name.equals(name)).findFirst().orElse(null) : null;
                if (pod == null) {
                    out.append("Error from server (NotFound): pods \"").append(name).append("\" not found\n");
                    continue;
                }
                c.pods.remove(pod);
                c.event("Normal", "Killing", "pod/" + name, "Stopping container " + c.topology.container(pod.service));
                out.append("pod \"").append(name).append("\" deleted\n");
            }
            return out.toString().stripTrailing();
        }
        object(t[0], t[1], ns);
        switch (t[0]) {
            case "services" -> c.services.remove(t[1]);
            case "deployments" -> {
                c.deployments.remove(t[1]);
                c.pods.removeIf(p -> p.service.equals(t[1]));
            }
            case "configmaps" -> c.configMaps.remove(t[1]);
            case "pvc" -> c.pvcs.remove(t[1]);
            case "podchaos", "networkchaos" -> c.chaos.get(t[0]).remove(t[1]);
            default -> {
            }
        }
        return Kubectl.singular(t[0]) + " \"" + t[1] + "\" deleted";
    }

    private String exec(KubectlArgs args, String ns) {
        if (args.positional.isEmpty()) {
            return "error: expected 'exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]'.";
        }
        String target = args.positional.getFirst();
        String podName = target.contains("/") ? target.substring(target.indexOf('/') + 1) : target;
        Pod pod = ns.equals(c.namespace) ? c.pods.stream()
            .filter(p -> p.name.equals(podName) || target.startsWith("deploy") && p.service.equals(podName))
            .findFirst().orElse(null) : null;
        if (pod == null) {
            return "Error from server (NotFound): pods \"" + podName + "\" not found";
        }
        if (!pod.ready && pod.waitingReason != null || !pod.scheduled()) {
            return "error: unable to upgrade connection: container not found (\"" + c.topology.container(pod.service) + "\")";
        }
        List<String> command = args.afterDashes.isEmpty() ? args.positional.subList(1, args.positional.size()) : args.afterDashes;
        if (command.isEmpty()) {
            return "error: you must specify at least one command for the container";
        }
        String joined = String.join(" ", command);
        String program = command.getFirst();
        if ((program.equals("mongo") || program.equals("mongosh")) && pod.service.contains("mongodb")) {
            return mongo(joined);
        }
        if (program.equals("env") || program.equals("printenv")) {
            StringBuilder out = new StringBuilder("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME=" + pod.name);
            JsonNode env = c.container(pod.service).get("env");
            if (env != null) {
                env.forEach(e -> out.append('\n').append(e.path("name").asString()).append('=').append(e.path("value").asString()));
            }
            return out.toString();
        }
        if (program.equals("hostname")) {
            return pod.name;
        }
        if (program.equals("sh") || program.equals("bash") || program.equals("/bin/sh") || program.equals("/bin/bash")) {
            return "error: shells are not available in this container; run a single command";
        }
        return "OCI runtime exec failed: exec failed: unable to start container process: exec: \"" + program
                + "\": executable file not found in $PATH: unknown\ncommand terminated with exit code 126";
    }

    private String mongo(String command) {
        String banner = "MongoDB shell version v4.4.6\nconnecting to: mongodb://127.0.0.1:27017/?compressors=disabled&gssapiServiceName=mongodb\n"
                + "Implicit session: session { \"id\" : UUID(\"" + c.randomName(8) + "-" + c.randomName(4) + "\") }\nMongoDB server version: 4.4.6\n";
        if (command.contains("grantRolesToUser") || command.contains("grantRole")) {
            if (c.flags.contains(FaultModel.USER_DROPPED)) {
                return banner + "uncaught exception: Error: Could not find user \"admin\"@admin";
            }
            c.flags.remove(FaultModel.ROLES_REVOKED);
            return banner;
        }
        if (command.contains("createUser")) {
            if (!c.flags.remove(FaultModel.USER_DROPPED)) {
                return banner + "uncaught exception: Error: couldn't add user: User \"admin@admin\" already exists";
            }
            return banner + "Successfully added user: { \"user\" : \"admin\", \"roles\" : [ { \"role\" : \"userAdminAnyDatabase\", \"db\" : \"admin\" } ] }";
        }
        if (command.contains("getUsers") || command.contains("getUser")) {
            if (c.flags.contains(FaultModel.USER_DROPPED)) {
                return banner + "[ ]";
            }
            String roles = c.flags.contains(FaultModel.ROLES_REVOKED) ? "[ ]"
                    : "[ { \"role\" : \"readWrite\", \"db\" : \"" + dbName() + "\" }, { \"role\" : \"userAdminAnyDatabase\", \"db\" : \"admin\" } ]";
            return banner + "[\n\t{\n\t\t\"_id\" : \"admin.admin\",\n\t\t\"user\" : \"admin\",\n\t\t\"db\" : \"admin\",\n\t\t\"roles\" : " + roles + "\n\t}\n]";
        }
        return banner + "bye";
    }

    private String dbName() {
        String faulty = c.problem.faultyService();
        return faulty != null && faulty.startsWith("mongodb-") ? faulty.substring(8) + "-db" : "admin";
    }
}
