//! The operations on tasks: each checks who may act and what the task's state allows, then
//! writes through the shared record machinery in one transaction.

use super::*;

pub struct CreateTask;

impl Operation for CreateTask {
    const NAME: &'static str = "tasks.create";
    const PERMISSION: Permission = crate::permissions::TASKS_WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str =
        "Give someone a task: what, by when, about which customer, and who checks the result.";
    type Input = CreateTaskInput;
    type Output = Task;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let mut model = input.into_model(scope);
        let mut errors = FieldErrors::default();
        let ownership = check_new(scope, &mut errors, &mut model).await?;
        errors.into_result()?;
        model.set_ownership(ownership);
        records::insert(scope, std::slice::from_mut(&mut model)).await?;
        Ok(model)
    }
}

/// A task a workflow rule creates (COMM-6): checked like one a person creates, except that its
/// deadline is the rule's and its people were checked when the rule was saved — a deactivated
/// person is replaced by the actor rather than losing the task.
pub async fn create_for_rule(scope: &Scope<'_>, mut model: Model) -> Result<Model, ApiError> {
    let mut errors = FieldErrors::default();
    model.title = validate::required_text(&mut errors, "title", &model.title, TITLE_MAX);
    let ownership = crate::interactions::ownership_of(scope, &mut errors, model.responsible_id).await?;
    if !errors.is_empty() {
        model.responsible_id = scope.actor.user_id;
    }
    model.set_ownership(if errors.is_empty() { ownership } else { scope.actor.ownership() });
    records::insert(scope, std::slice::from_mut(&mut model)).await?;
    Ok(model)
}

pub struct GetTask;

impl Operation for GetTask {
    const NAME: &'static str = "tasks.get";
    const PERMISSION: Permission = crate::permissions::TASKS_READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "One task, with its delegation chain.";
    type Input = IdInput;
    type Output = TaskRow;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let task = load_visible(scope, input.id).await?;
        let mut rows = queries::rows(scope, vec![task]).await?;
        rows.pop().ok_or_else(|| ApiError::internal("a task's row went missing"))
    }
}

pub struct UpdateTask;

impl Operation for UpdateTask {
    const NAME: &'static str = "tasks.update";
    const PERMISSION: Permission = crate::permissions::TASKS_WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str =
        "Correct what a task asks for, its deadline or its controller (its author or controller).";
    type Input = UpdateTaskInput;
    type Output = Task;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before = load_for_change(scope, input.id, input.version).await?;
        ensure_unfinished(&before)?;
        ensure_person(scope, &[Some(before.created_by), before.controller_id], "its author or its controller")?;
        let mut after = before.clone();
        let mut errors = FieldErrors::default();
        if let Some(title) = input.title {
            after.title = validate::required_text(&mut errors, "title", &title, TITLE_MAX);
        }
        if let Some(description) = input.description {
            after.description = validate::optional_text(&mut errors, "description", description.as_deref(), TEXT_MAX);
        }
        if let Some(deadline) = input.deadline.filter(|d| *d != before.deadline) {
            check_deadline(scope, &mut errors, deadline);
            after.deadline = deadline;
        }
        if let Some(controller_id) = input.controller_id.filter(|c| *c != before.controller_id) {
            if let Some(controller_id) = controller_id {
                check_controller(scope, &mut errors, after.responsible_id, controller_id).await?;
            }
            after.controller_id = controller_id;
        }
        errors.into_result()?;
        records::update(scope, &before, after, ChangeAction::Update).await
    }
}

pub struct DelegateTask;

impl Operation for DelegateTask {
    const NAME: &'static str = "tasks.delegate";
    const PERMISSION: Permission = crate::permissions::TASKS_WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Hand a task on to a colleague; the chain of who handed it to whom is kept.";
    type Input = DelegateTaskInput;
    type Output = Task;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before = load_for_change(scope, input.id, input.version).await?;
        ensure_unfinished(&before)?;
        ensure_person(
            scope,
            &[Some(before.responsible_id), before.controller_id, Some(before.created_by)],
            "the person responsible, the controller or the author",
        )?;
        let mut errors = FieldErrors::default();
        let note = validate::optional_text(&mut errors, "note", input.note.as_deref(), TEXT_MAX);
        if input.to_id == before.responsible_id {
            errors.add("to_id", FieldCode::InvalidValue, "This person is already responsible for the task.");
        } else if Some(input.to_id) == before.controller_id {
            errors.add(
                "to_id",
                FieldCode::InvalidValue,
                "The controller checks the result and cannot also do the task; choose someone else.",
            );
        }
        let ownership = crate::interactions::ownership_of(scope, &mut errors, input.to_id).await?;
        errors.into_result()?;
        let mut after = before.clone();
        let mut chain = before.chain();
        chain.push(Delegation {
            from_id: before.responsible_id,
            to_id: input.to_id,
            at: scope.now,
            by_id: scope.actor.user_id,
            note,
        });
        after.delegations = serde_json::to_value(chain).map_err(|e| ApiError::internal(e.to_string()))?;
        after.responsible_id = input.to_id;
        after.set_ownership(ownership);
        records::update(scope, &before, after, ChangeAction::Update).await
    }
}

pub struct SubmitTask;

impl Operation for SubmitTask {
    const NAME: &'static str = "tasks.submit";
    const PERMISSION: Permission = crate::permissions::TASKS_WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str =
        "Hand in a task's result: to its controller, or finishing it when it has none (the person responsible).";
    type Input = SubmitTaskInput;
    type Output = Task;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before = load_for_change(scope, input.id, input.version).await?;
        ensure_unfinished(&before)?;
        ensure_person(scope, &[Some(before.responsible_id)], "the person responsible")?;
        if before.status == TaskStatus::Submitted {
            return Err(ApiError::field("id", FieldCode::InvalidValue, "The result is already with the controller."));
        }
        let mut errors = FieldErrors::default();
        let result = validate::required_text(&mut errors, "result", &input.result, TEXT_MAX);
        errors.into_result()?;
        let mut after = before.clone();
        after.result = Some(result);
        if before.controller_id.is_some() {
            after.status = TaskStatus::Submitted;
        } else {
            after.status = TaskStatus::Done;
            after.finished_at = Some(scope.now);
        }
        records::update(scope, &before, after, ChangeAction::Update).await
    }
}

pub struct AcceptTask;

impl Operation for AcceptTask {
    const NAME: &'static str = "tasks.accept";
    const PERMISSION: Permission = crate::permissions::TASKS_WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Accept a task's handed-in result, which finishes it (its controller).";
    type Input = VersionedTaskInput;
    type Output = Task;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before = submitted_to_actor(scope, input.id, input.version).await?;
        let mut after = before.clone();
        after.status = TaskStatus::Done;
        after.finished_at = Some(scope.now);
        records::update(scope, &before, after, ChangeAction::Update).await
    }
}

pub struct ReturnTask;

impl Operation for ReturnTask {
    const NAME: &'static str = "tasks.return";
    const PERMISSION: Permission = crate::permissions::TASKS_WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str =
        "Return a task's result to the person responsible with what is missing (its controller).";
    type Input = ReturnTaskInput;
    type Output = Task;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before = submitted_to_actor(scope, input.id, input.version).await?;
        let mut errors = FieldErrors::default();
        let note = validate::required_text(&mut errors, "note", &input.note, TEXT_MAX);
        let mut after = before.clone();
        if let Some(deadline) = input.deadline {
            check_deadline(scope, &mut errors, deadline);
            after.deadline = deadline;
        }
        errors.into_result()?;
        after.status = TaskStatus::Open;
        after.return_note = Some(note);
        records::update(scope, &before, after, ChangeAction::Update).await
    }
}

/// The task `id` at `version`, handed in and waiting for the actor as its controller.
async fn submitted_to_actor(scope: &Scope<'_>, id: Uuid, version: i64) -> Result<Model, ApiError> {
    let task = load_for_change(scope, id, version).await?;
    ensure_person(scope, &[task.controller_id], "the controller")?;
    if task.status != TaskStatus::Submitted {
        return Err(ApiError::field(
            "id",
            FieldCode::InvalidValue,
            "No result has been handed in for this task yet; there is nothing to accept or return.",
        ));
    }
    Ok(task)
}

pub struct CancelTask;

impl Operation for CancelTask {
    const NAME: &'static str = "tasks.cancel";
    const PERMISSION: Permission = crate::permissions::TASKS_WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Cancel a task that is no longer needed (its author or controller).";
    type Input = VersionedTaskInput;
    type Output = Task;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before = load_for_change(scope, input.id, input.version).await?;
        ensure_unfinished(&before)?;
        ensure_person(scope, &[Some(before.created_by), before.controller_id], "its author or its controller")?;
        let mut after = before.clone();
        after.status = TaskStatus::Cancelled;
        after.finished_at = Some(scope.now);
        records::update(scope, &before, after, ChangeAction::Update).await
    }
}

pub struct ListTasks;

impl Operation for ListTasks {
    const NAME: &'static str = "tasks.list";
    const PERMISSION: Permission = crate::permissions::TASKS_READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Tasks by deadline: one's own, those one controls or handed on, or the team's; open, overdue, waiting or finished.";
    type Input = ListTasksInput;
    type Output = TaskList;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        queries::list(scope, input).await
    }
}

pub struct OverdueTaskCounts;

impl Operation for OverdueTaskCounts {
    const NAME: &'static str = "tasks.overdue";
    const PERMISSION: Permission = crate::permissions::TASKS_READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Open and overdue tasks counted per person and per department, within reach.";
    type Input = OverdueTasksInput;
    type Output = OverdueTasks;

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<Self::Output, ApiError> {
        queries::overdue(scope).await
    }
}
