package dev.rolloutbatch.envservice;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.rolloutbatch.agent.AgentAction;
import dev.rolloutbatch.agent.AgentPrompts;
import dev.rolloutbatch.agent.AgentSettings;
import dev.rolloutbatch.agent.Protocol;
import dev.rolloutbatch.agent.TextProtocol;
import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.conversation.ConversationLog;
import dev.rolloutbatch.environment.AgentEnvironment;
import dev.rolloutbatch.environment.EnvironmentException;
import dev.rolloutbatch.environment.EnvironmentSession;
import dev.rolloutbatch.environment.Environments;
import dev.rolloutbatch.environment.StepResult;
import dev.rolloutbatch.environment.Evaluation;
import dev.rolloutbatch.episode.Episode;
import dev.rolloutbatch.episode.EpisodeStatus;
import dev.rolloutbatch.episode.NewEpisode;

/**
 * The open sessions of this server. At most {@code rollout.envservice.max-sessions} are open at once (one more is
 * refused with 429); a session without a request for {@code idle-timeout} is closed by a sweeper, which also stamps
 * the heartbeat of the live ones and ends the sessions a dead server left running. A stopping server closes its
 * sessions (their episodes end cancelled) before the conversation log stops.
 */
@Service
@Profile("serve")
class EnvSessions implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EnvSessions.class);

    private final ProblemCatalog catalog;
    private final Environments environments;
    private final SessionLog sessionLog;
    private final EnvServiceProperties properties;
    private final Map<String, LiveSession> live = new ConcurrentHashMap<>();
    private final Semaphore slots;
    private volatile boolean running;
    private volatile boolean stopping;
    private ScheduledExecutorService sweeper;

    /** {@code conversationLog} is a dependency so that Spring stops this bean first, while the log still writes. */
    EnvSessions(ProblemCatalog catalog, Environments environments, SessionLog sessionLog,
            EnvServiceProperties properties, ConversationLog conversationLog) {
        this.catalog = catalog;
        this.environments = environments;
        this.sessionLog = sessionLog;
        this.properties = properties;
        this.slots = new Semaphore(properties.maxSessions());
    }

    /** What a client asks for when it opens a session. */
    record Opening(String problemId, long seed, String model, Integer maxSteps, String groupId,
            AgentSettings sampling) {
    }

    List<Map<String, Object>> problems() {
        AgentEnvironment environment = environment();
        List<Map<String, Object>> problems = new ArrayList<>();
        for (String id : environment.servedProblemIds()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", id);
            catalog.find(id).ifPresent(p -> {
                item.put("task_type", p.taskType().id());
                item.put("application", p.application());
            });
            problems.add(item);
        }
        return problems;
    }

    Map<String, Object> open(Opening request) {
        Problem problem = catalog.find(request.problemId())
            .orElseThrow(() -> EnvServiceException.notFound("unknown problem '" + request.problemId() + "'"));
        AgentEnvironment environment = environment();
        if (stopping) {
            throw new EnvServiceException(HttpStatus.SERVICE_UNAVAILABLE, "the environment service is stopping");
        }
        if (!slots.tryAcquire()) {
            throw new EnvServiceException(HttpStatus.TOO_MANY_REQUESTS, "too many open sessions (limit "
                    + properties.maxSessions() + ", rollout.envservice.max-sessions); close one or retry later");
        }
        boolean registered = false;
        try {
            int maxSteps = request.maxSteps() == null ? properties.maxSteps() : request.maxSteps();
            String model = request.model() == null ? properties.model() : request.model();
            AgentSettings sampling = request.sampling();
            AgentSettings settings = new AgentSettings(model, Protocol.TEXT, sampling.temperature(), sampling.topP(),
                    sampling.maxTokens(), request.seed(), sampling.stop(), sampling.logprobs());
            String group = request.groupId() == null ? "session:" + problem.id() + ":" + model : request.groupId();
            Episode episode = sessionLog.begin(new NewEpisode(SessionLog.SOURCE, problem, group, request.seed(),
                    SessionLog.POLICY, environment.name(), settings, maxSteps,
                    (int) Math.min(Integer.MAX_VALUE, properties.idleTimeout().toSeconds())));
            EnvironmentSession started;
            try {
                started = environment.start(problem, request.seed());
            }
            catch (EnvironmentException ex) {
                sessionLog.failedToStart(episode, "environment: " + ex.getMessage());
                throw ex;
            }
            try {
                List<ChatMessage> opening = AgentPrompts.initialMessages(problem, started.brief(), Protocol.TEXT);
                LiveSession session = new LiveSession(UUID.randomUUID(), episode, problem, started, opening,
                        maxSteps);
                sessionLog.open(session);
                live.put(session.id, session);
                registered = true;
                return SessionViews.opened(session, started.brief());
            }
            finally {
                if (!registered) {
                    started.close();
                }
            }
        }
        finally {
            if (!registered) {
                slots.release();
            }
        }
    }

    /**
     * One step. {@code action} is one API call; alternatively {@code response} is the agent's whole answer, from
     * whose code block the call is taken as AIOpsLab's orchestrator does (a malformed answer costs a step).
     */
    Map<String, Object> act(String sessionId, String action, String response) {
        LiveSession s = get(sessionId);
        synchronized (s) {
            checkOpen(s);
            if (s.evaluation != null) {
                throw EnvServiceException.conflict("session " + s.id + " was already evaluated");
            }
            if (s.submitted()) {
                throw EnvServiceException.conflict("session " + s.id + " already has a submission; request its"
                        + " evaluation");
            }
            if (s.steps >= s.maxSteps) {
                throw EnvServiceException.conflict("session " + s.id + " has spent its step budget of " + s.maxSteps
                        + "; request its evaluation");
            }
            s.touch();
            String assistant = response != null ? response : "```\n" + action.strip() + "\n```";
            String call = action;
            String observation;
            boolean done = false;
            s.steps++;
            sessionLog.append(s, ChatMessage.assistant(assistant));
            if (call == null) {
                AgentAction extracted = TextProtocol.extract(response);
                call = extracted.isValid() ? extracted.action() : null;
                observation = extracted.isValid() ? null : extracted.error();
            }
            else {
                observation = null;
            }
            if (call != null) {
                StepResult result = s.environment.step(call);
                observation = result.observation();
                done = result.done();
                if (done) {
                    s.submission = call;
                }
            }
            sessionLog.append(s, ChatMessage.user(observation));
            s.touch();
            return SessionViews.stepped(s, observation, done);
        }
    }

    Map<String, Object> evaluate(String sessionId) {
        LiveSession s = get(sessionId);
        synchronized (s) {
            checkOpen(s);
            s.touch();
            if (s.evaluation == null) {
                Evaluation graded = s.environment.evaluate().forEpisode(s.steps, s.maxSteps, s.submission);
                sessionLog.completed(s, graded);
                s.evaluation = graded;
            }
            return s.evaluation.toHttpResponse();
        }
    }

    void delete(String sessionId) {
        LiveSession s = get(sessionId);
        close(s, EpisodeStatus.CANCELLED, "closed by the client before its evaluation");
    }

    private LiveSession get(String sessionId) {
        LiveSession s = live.get(sessionId);
        if (s == null) {
            throw EnvServiceException.notFound("session '" + sessionId + "' not found (never opened, deleted, or"
                    + " closed after " + properties.idleTimeout() + " idle)");
        }
        return s;
    }

    private static void checkOpen(LiveSession s) {
        if (s.ended) {
            throw EnvServiceException.notFound("session '" + s.id + "' is closed");
        }
    }

    /** Closes a session; its episode ends with {@code status} unless it was evaluated. */
    private void close(LiveSession s, EpisodeStatus status, String reason) {
        synchronized (s) {
            if (s.ended) {
                return;
            }
            s.ended = true;
            try {
                s.environment.close();
                if (s.evaluation == null) {
                    sessionLog.ended(s, status, reason);
                }
            }
            finally {
                if (live.remove(s.id, s)) {
                    slots.release();
                }
            }
        }
    }

    int open() {
        return live.size();
    }

    private AgentEnvironment environment() {
        if (!environments.has(properties.environment())) {
            throw new EnvServiceException(HttpStatus.SERVICE_UNAVAILABLE, "environment '" + properties.environment()
                    + "' is not available (rollout.envservice.environment)");
        }
        return environments.get(properties.environment());
    }

    /** Closes idle sessions, stamps the heartbeat of live ones, ends those a dead server left running. */
    void sweep() {
        long idleNanos = properties.idleTimeout().toNanos();
        long now = System.nanoTime();
        for (LiveSession s : live.values()) {
            try {
                if (now - s.lastUsedNanos > idleNanos) {
                    log.info("Closing session {} ({}) after {} idle", s.id, s.problem.id(), properties.idleTimeout());
                    close(s, EpisodeStatus.TIMEOUT, "session idle for more than " + properties.idleTimeout());
                }
                else if (s.evaluation == null) {
                    sessionLog.heartbeat(s);
                }
            }
            catch (RuntimeException ex) {
                log.warn("Session sweep failed for {}: {}", s.id, ex.getMessage());
            }
        }
        try {
            int stale = sessionLog.endStale(Instant.now().minus(properties.staleAfter()));
            if (stale > 0) {
                log.warn("Ended {} session episode(s) left running by a server that stopped", stale);
            }
        }
        catch (RuntimeException ex) {
            log.warn("Stale session check failed: {}", ex.getMessage());
        }
    }

    @Override
    public synchronized void start() {
        stopping = false;
        running = true;
        sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("envservice-sweeper").daemon()
            .factory());
        long every = properties.sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, 0, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        stopping = true;
        running = false;
        sweeper.shutdownNow();
        for (LiveSession s : List.copyOf(live.values())) {
            try {
                close(s, EpisodeStatus.CANCELLED, "environment service stopped");
            }
            catch (RuntimeException ex) {
                log.warn("Could not close session {} at shutdown: {}", s.id, ex.getMessage());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
