package dev.rolloutbatch.launch;

import java.sql.Connection;

import org.jspecify.annotations.Nullable;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.migration.Context;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;
import org.springframework.stereotype.Component;

/**
 * Creates Spring Batch's job repository tables with the DDL that ships inside spring-batch-core, so that the
 * whole schema is versioned by Flyway and created the same way on H2 and PostgreSQL.
 */
@Component
class SpringBatchMetadataMigration implements JavaMigration {

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("1");
    }

    @Override
    public String getDescription() {
        return "spring batch metadata";
    }

    @Override
    public @Nullable Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
        String vendor = product.contains("postgres") ? "postgresql" : product.contains("h2") ? "h2" : null;
        if (vendor == null) {
            throw new IllegalStateException("unsupported database: " + product + " (PostgreSQL or H2)");
        }
        ScriptUtils.executeSqlScript(connection,
                new ClassPathResource("org/springframework/batch/core/schema-" + vendor + ".sql"));
    }
}
