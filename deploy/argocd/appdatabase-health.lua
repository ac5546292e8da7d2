-- Argo CD health check for appdb.io AppDatabase (and DatabaseServer) resources.
-- Install: deploy/argocd/argocd-cm-patch.yaml; tested by ArgoHealthLuaTest.
--
-- kstatus rules: a status written for an older generation says nothing about the current spec,
-- so it is Progressing whatever its conditions say; Stalled=True is a failure only a person can
-- fix (Degraded); Ready=True for the current generation is Healthy; anything else is still in
-- progress (the operator retries transient failures by itself).

local function findCondition(status, conditionType)
  if status == nil or status.conditions == nil then
    return nil
  end
  for _, condition in ipairs(status.conditions) do
    if condition.type == conditionType then
      return condition
    end
  end
  return nil
end

local function describe(condition, fallback)
  if condition == nil then
    return fallback
  end
  if condition.reason ~= nil and condition.message ~= nil and condition.message ~= "" then
    return condition.reason .. ": " .. condition.message
  end
  return condition.message or condition.reason or fallback
end

local hs = {}
local generation = obj.metadata.generation
local status = obj.status

if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local stalled = findCondition(status, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled, "Stalled")
  return hs
end

local ready = findCondition(status, "Ready")
local readyIsCurrent = ready ~= nil
  and (generation == nil or ready.observedGeneration == nil or ready.observedGeneration >= generation)
if ready ~= nil and ready.status == "True" and readyIsCurrent then
  hs.status = "Healthy"
  hs.message = describe(ready, "Ready")
  return hs
end

local reconciling = findCondition(status, "Reconciling")
hs.status = "Progressing"
if reconciling ~= nil and reconciling.status == "True" then
  hs.message = describe(reconciling, "Reconciling")
else
  hs.message = describe(ready, "Waiting for the Ready condition")
end
return hs
