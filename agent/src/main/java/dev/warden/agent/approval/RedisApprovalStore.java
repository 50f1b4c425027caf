package dev.warden.agent.approval;

import dev.warden.agent.context.RedisStateStore;
import dev.warden.receipts.ApprovalRequest;
import dev.warden.receipts.PublishedRequest;
import dev.warden.receipts.RequestSigner;
import dev.warden.receipts.SignedApproval;
import redis.clients.jedis.params.SetParams;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Approvals through the Redis a gate with {@code state=redis://} shares with other JVMs: every JVM
 * sees the same requests and decisions, and closing a request is one {@code SET ... NX}, so of two
 * JVMs racing for one request's approvals exactly one uses them. Keys (after the store's prefix):
 * <pre>
 * approvals:request:ID        the request (JSON, signed with the log's key), kept a week past its expiry
 * approvals:open:KEY          the open request's id for an action (digest and identity), until it expires
 * approvals:decisions:ID      hash: approver -> signed decision (JSON); written once per approver (HSETNX), kept until
 *                             {@link ApprovalStore#CLOSED_KEPT} after the decision expires
 * approvals:closed:ID         approved | rejected, once (SET NX), kept until {@link ApprovalStore#CLOSED_KEPT} after the
 *                             request expires
 * approvals:requests          sorted set of request ids by time, for the approvers' list
 * </pre>
 */
public final class RedisApprovalStore implements ApprovalStore {

    static final Duration KEPT_AFTER_EXPIRY = Duration.ofDays(7);
    private static final int LISTED = 10_000;

    private final RedisStateStore redis;
    private final java.time.Clock clock;
    private final RequestSigner signer;

    /** @param signer signs each request published, with this JVM's receipt log's key, for the approvers' CLI to check */
    public RedisApprovalStore(RedisStateStore redis, java.time.Clock clock, RequestSigner signer) {
        this.redis = redis;
        this.clock = clock;
        this.signer = signer;
    }

    @Override
    public void open(ApprovalRequest request) {
        long live = Math.max(1, Duration.between(clock.instant(), request.expires()).toMillis());
        long kept = live + KEPT_AFTER_EXPIRY.toMillis();
        String json = new String(signer.sign(request).toJson(), StandardCharsets.UTF_8);
        redis.command(jedis -> {
            jedis.set(key("request:" + request.id()), json, SetParams.setParams().px(kept));
            jedis.set(key("open:" + ApprovalStage.key(request)), request.id(), SetParams.setParams().px(live));
            jedis.zadd(key("requests"), request.time().toEpochMilli(), request.id());
            jedis.zremrangeByRank(key("requests"), 0, -LISTED - 1);
            return null;
        });
    }

    @Override
    public ApprovalRequest pending(String actionKey, Instant now) {
        String id = redis.command(jedis -> jedis.get(key("open:" + actionKey)));
        if (id == null || closedStatus(id) != null) {
            return null;
        }
        ApprovalRequest request = request(id);
        return request == null || !request.expires().isAfter(now) ? null : request;
    }

    @Override
    public Delivered decisions(String requestId) {
        Map<String, String> fields = redis.command(jedis -> jedis.hgetAll(key("decisions:" + requestId)));
        List<SignedApproval> readable = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        new java.util.TreeMap<>(fields).forEach((approver, json) -> {
            try {
                SignedApproval approval = SignedApproval.parse(json.getBytes(StandardCharsets.UTF_8));
                if (approval.approver().equals(approver)) {
                    readable.add(approval);
                } else {
                    unreadable.add(approver + ": names approver " + approval.approver());
                }
            } catch (IllegalArgumentException e) {
                unreadable.add(approver + ": " + e.getMessage());
            }
        });
        return new Delivered(readable, unreadable);
    }

    @Override
    public boolean close(ApprovalRequest request, String status) {
        // Kept from its expiry on, not from now: a request may live up to a year, and while its open key lives, a
        // closed mark that lapsed first would let its approvals be presented and used again.
        long kept = Math.max(0, Duration.between(clock.instant(), request.expires()).toMillis()) + CLOSED_KEPT.toMillis();
        String set = redis.command(jedis -> jedis.set(key("closed:" + request.id()), status, SetParams.setParams().nx().px(kept)));
        return "OK".equals(set);
    }

    /** How long the closed mark of {@code requestId} is kept from now, in milliseconds (-2 when there is none). */
    long closedMarkMillis(String requestId) {
        return redis.command(jedis -> jedis.pttl(key("closed:" + requestId)));
    }

    @Override
    public String describe() {
        return redis.describe();
    }

    @Override
    public void close() {
        redis.close();
    }

    /** The request published under {@code id}, or null. @throws IllegalArgumentException when unreadable */
    public ApprovalRequest request(String id) {
        PublishedRequest published = published(id);
        return published == null ? null : published.request();
    }

    /** The same as published, its signature unchecked. @throws IllegalArgumentException when unreadable */
    public PublishedRequest published(String id) {
        String json = redis.command(jedis -> jedis.get(key("request:" + id)));
        return json == null ? null : PublishedRequest.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    public String closedStatus(String id) {
        return redis.command(jedis -> jedis.get(key("closed:" + id)));
    }

    /** Every listed request id, oldest first. */
    public List<String> requestIds() {
        return redis.command(jedis -> jedis.zrange(key("requests"), 0, -1));
    }

    /** @return false when the approver already decided on the request */
    public boolean deliver(SignedApproval approval) {
        String requestId = approval.statement().request();
        long set = redis.command(jedis -> jedis.hsetnx(key("decisions:" + requestId), approval.approver(),
                new String(approval.toJson(), StandardCharsets.UTF_8)));
        if (set == 1) {
            // Kept as long as the request's closed mark at least: a decision must not lapse while its request waits.
            long kept = Math.max(0, Duration.between(clock.instant(), approval.statement().expires()).toMillis())
                    + CLOSED_KEPT.toMillis();
            redis.command(jedis -> jedis.pexpire(key("decisions:" + requestId), kept));
        }
        return set == 1;
    }

    private String key(String rest) {
        return redis.prefix() + "approvals:" + rest;
    }
}
