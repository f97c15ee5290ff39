package aiops.analyzer;

import aiops.analyzer.context.IncidentContext;

/** Proposes root causes and actions for one incident. Implementations never throw for a bad answer: they degrade. */
public interface Analyst {

    AnalystAnswer analyse(IncidentContext context);
}
