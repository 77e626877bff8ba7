package dev.rolloutbatch.export;

import java.util.ArrayList;
import java.util.List;

import dev.rolloutbatch.conversation.ConversationReader.LoggedCall;

/**
 * Token-level columns of a multi-turn trajectory, in verl's layout: {@code promptIds} is the first call's prompt;
 * {@code responseIds} everything after it: each call's response (mask 1, with its logprobs) and, between calls,
 * the tokens the environment added to the context (tool results, next user turn; mask 0, logprob 0).
 * <p>
 * Built only when every call captured its token ids and each prompt extends the previous prompt plus response
 * (the chat-template prefix property); otherwise absent (null), never guessed. Logprobs are null unless every
 * call has one per response token.
 */
record TokenColumns(List<Integer> promptIds, List<Integer> responseIds, List<Integer> responseMask,
        List<Double> responseLogprobs) {

    static final TokenColumns NONE = new TokenColumns(null, null, null, null);

    static TokenColumns of(List<LoggedCall> calls) {
        if (calls.isEmpty()) {
            return NONE;
        }
        List<Integer> context = new ArrayList<>();
        List<Integer> promptIds = null;
        List<Integer> response = new ArrayList<>();
        List<Integer> mask = new ArrayList<>();
        List<Double> logprobs = new ArrayList<>();
        boolean withLogprobs = true;
        for (LoggedCall call : calls) {
            Json.TokenIds ids = Json.tokenIds(call.tokenIds());
            if (ids == null) {
                return NONE;
            }
            if (promptIds == null) {
                promptIds = ids.prompt();
            }
            else {
                if (ids.prompt().size() < context.size() || !ids.prompt().subList(0, context.size()).equals(context)) {
                    return NONE;
                }
                for (Integer token : ids.prompt().subList(context.size(), ids.prompt().size())) {
                    response.add(token);
                    mask.add(0);
                    logprobs.add(0.0);
                }
            }
            List<Double> callLogprobs = Json.logprobs(call.logprobs());
            withLogprobs &= callLogprobs != null && callLogprobs.size() == ids.response().size();
            for (int i = 0; i < ids.response().size(); i++) {
                response.add(ids.response().get(i));
                mask.add(1);
                logprobs.add(withLogprobs ? callLogprobs.get(i) : 0.0);
            }
            context = new ArrayList<>(ids.prompt().size() + ids.response().size());
            context.addAll(ids.prompt());
            context.addAll(ids.response());
        }
        return new TokenColumns(promptIds, response, mask, withLogprobs ? logprobs : null);
    }
}
