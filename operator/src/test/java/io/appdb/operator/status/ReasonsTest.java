package io.appdb.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReasonsTest {

  @Test
  void everyConstantIsListedInAllOnceAndIsCamelCase() throws Exception {
    List<String> constants = new ArrayList<>();
    for (Field f : Reasons.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        constants.add((String) f.get(null));
      }
    }
    assertThat(Reasons.ALL).containsExactlyInAnyOrderElementsOf(constants).doesNotHaveDuplicates();
    assertThat(Reasons.ALL).allSatisfy(r -> assertThat(r).matches("[A-Z][A-Za-z]+"));
    // A reason that Outcome accepts, for every one of them.
    Reasons.ALL.forEach(r -> assertThat(Outcome.stalled(r, "m").reason()).isEqualTo(r));
  }

  @Test
  void theDesignReasonsExist() {
    assertThat(Reasons.ALL)
        .contains(
            "Provisioned",
            "Progressing",
            "InvalidSpec",
            "ServerNotFound",
            "NoDefaultServer",
            "NamespaceNotAllowed",
            "DatabaseClaimed",
            "DatabaseExists",
            "UserExists",
            "SecretConflict",
            "ServerUnavailable",
            "AdminCredentialsInvalid",
            "InsufficientPrivileges",
            "ServerNotReady",
            "Deleting",
            "Connected",
            "AdminSecretNotFound",
            "SqlError",
            "UserClaimed",
            "ApiError",
            "InternalError");
  }
}
