/**
 * The {@code http} environment: a client of the environment-service session protocol (the {@code envservice}
 * module speaks its server side), so that episodes can act on a twin or a real cluster in another process. Owns
 * no table; everything here is internal to the {@code environment} module, reached through
 * {@link dev.rolloutbatch.environment.Environments}.
 */
@NullMarked
package dev.rolloutbatch.environment.remote;

import org.jspecify.annotations.NullMarked;
