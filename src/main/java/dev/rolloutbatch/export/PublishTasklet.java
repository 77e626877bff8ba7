package dev.rolloutbatch.export;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/** The {@code exportPublish} step: puts every partition the run wrote into place. */
class PublishTasklet implements Tasklet {

    private final ExportRun run;

    PublishTasklet(ExportRun run) {
        this.run = run;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        run.publish();
        return RepeatStatus.FINISHED;
    }
}
