package dev.rolloutbatch.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import dev.rolloutbatch.conversation.ConversationReader;
import dev.rolloutbatch.conversation.ConversationReader.LoggedCall;
import dev.rolloutbatch.conversation.ConversationReader.LoggedMessage;

/** Reads the conversations of a chunk of episodes and writes their rows into the export's temporary files. */
class ExportItemWriter implements ItemWriter<EpisodeRow> {

    private final ConversationReader conversations;
    private final ExportRun run;

    ExportItemWriter(ConversationReader conversations, ExportRun run) {
        this.conversations = conversations;
        this.run = run;
    }

    @Override
    public void write(Chunk<? extends EpisodeRow> chunk) throws Exception {
        List<? extends EpisodeRow> episodes = chunk.getItems();
        List<UUID> ids = episodes.stream().map(EpisodeRow::conversationId).toList();
        Map<UUID, List<LoggedMessage>> messages = conversations.messages(ids);
        Map<UUID, List<LoggedCall>> calls = conversations.calls(ids);
        List<Trajectory> trajectories = new ArrayList<>(episodes.size());
        for (EpisodeRow episode : episodes) {
            trajectories.add(new Trajectory(episode, messages.getOrDefault(episode.conversationId(), List.of()),
                    calls.getOrDefault(episode.conversationId(), List.of())));
        }
        run.write(trajectories);
    }
}
