package dev.rolloutbatch.export;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/** Loads the conversations of a chunk of episodes and writes their rows into the export's temporary files. */
class ExportItemWriter implements ItemWriter<EpisodeRow> {

    private final ConversationLoader loader;
    private final ExportRun run;

    ExportItemWriter(ConversationLoader loader, ExportRun run) {
        this.loader = loader;
        this.run = run;
    }

    @Override
    public void write(Chunk<? extends EpisodeRow> chunk) throws Exception {
        run.write(loader.load(chunk.getItems()));
    }
}
