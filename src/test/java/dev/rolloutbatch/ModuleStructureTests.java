package dev.rolloutbatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.core.JavaPackage;
import org.springframework.modulith.docs.Documenter;
import org.springframework.util.FileSystemUtils;

/**
 * Each top-level package under {@code dev.rolloutbatch} is a module (Spring Modulith): other modules may use the
 * public types of its base package and of its named interfaces ({@code @NamedInterface} on a sub-package's
 * package-info), only the dependencies its {@code @ApplicationModule} allows, and no cycle.
 */
class ModuleStructureTests {

    private static final ApplicationModules MODULES = ApplicationModules.of(RolloutBatchApplication.class);

    @Test
    void modulesUseOnlyExposedTypesOfAllowedModulesWithoutCycles() {
        MODULES.verify();
    }

    @Test
    void everyModuleSaysWhatItOwnsAndHidesInItsPackageInfo() {
        List<String> modules = MODULES.stream().map(ApplicationModule::getBasePackage)
                .map(JavaPackage::getName).toList();
        assertThat(modules).as("modules found").hasSizeGreaterThanOrEqualTo(9).contains("dev.rolloutbatch.collect");
        for (String base : modules) {
            Path packageInfo = Path.of("src/main/java", base.replace('.', '/'), "package-info.java");
            assertThat(packageInfo).as("module %s needs a package-info.java that says what it owns and hides", base)
                    .exists();
        }
    }

    /** Writes the module diagrams (PlantUML) and canvases (AsciiDoc) to target/spring-modulith-docs. */
    @Test
    void writesModuleDocumentation() throws Exception {
        Path folder = Path.of("target/spring-modulith-docs");
        FileSystemUtils.deleteRecursively(folder);
        new Documenter(MODULES).writeDocumentation();
        assertThat(folder.resolve("components.puml")).exists();
        try (var files = Files.list(folder)) {
            assertThat(files.map(Path::getFileName).map(Path::toString))
                    .contains("module-collect.puml", "module-collect.adoc");
        }
    }
}
