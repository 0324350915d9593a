// One portable schema for both backends (see migrations/{sqlite,postgres}).

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Nullable<Text>,
        active -> Bool,
        open_cases -> Integer,
        created_at -> Timestamp,
        deactivated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    areas (slug) {
        slug -> Text,
        name -> Text,
        postcode -> Text,
        position -> Integer,
        active -> Bool,
        responsible_id -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (id_hash) {
        id_hash -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        must_enrol_mfa -> Bool,
    }
}

diesel::table! {
    mfa_totp (user_id) {
        user_id -> Text,
        secret -> Text,
        confirmed_at -> Nullable<Timestamp>,
        last_step -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    mfa_recovery_codes (code_hash) {
        code_hash -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    resumable_posts (browser_hash) {
        browser_hash -> Text,
        user_id -> Nullable<Text>,
        path -> Text,
        form -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    security_events (id) {
        id -> Text,
        at -> Timestamp,
        kind -> Text,
        user_id -> Nullable<Text>,
        actor_id -> Nullable<Text>,
        account_key -> Nullable<Text>,
        client -> Nullable<Text>,
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    setup_links (token_hash) {
        token_hash -> Text,
        user_id -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        scopes -> Nullable<Text>,
        expires_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    cases (id) {
        id -> Text,
        reference -> Text,
        language -> Text,
        adults -> Integer,
        children -> Text,
        children_count -> Integer,
        housing -> Text,
        timeframe -> Text,
        job_help -> Bool,
        ambassador_contact -> Bool,
        campaign -> Nullable<Text>,
        assignee_id -> Nullable<Text>,
        stage -> Text,
        last_open_stage -> Text,
        outcome -> Nullable<Text>,
        is_open -> Bool,
        waiting_since -> Timestamp,
        first_contact_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        visit_at -> Nullable<Timestamp>,
        move_in_at -> Nullable<Timestamp>,
        welcome_package_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        move_in_date -> Nullable<Text>,
        move_in_area -> Nullable<Text>,
        moving_from_kind -> Text,
        messages_stopped_at -> Nullable<Timestamp>,
        household -> Text,
        close_reason -> Nullable<Text>,
        chose_instead -> Nullable<Text>,
    }
}

diesel::table! {
    access_log (id) {
        id -> Text,
        case_id -> Text,
        at -> Timestamp,
        user_id -> Text,
        role -> Text,
        what -> Text,
        purpose -> Text,
    }
}

diesel::table! {
    erasures (reference) {
        reference -> Text,
        erased_at -> Timestamp,
        rule -> Text,
        actor_id -> Nullable<Text>,
        reason -> Text,
    }
}

diesel::table! {
    persons (case_id) {
        case_id -> Text,
        name -> Text,
        email -> Text,
        phone -> Nullable<Text>,
        message -> Nullable<Text>,
        moving_from -> Nullable<Text>,
        search_text -> Text,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        case_id -> Nullable<Text>,
        template -> Text,
        recipient -> Text,
        recipient_name -> Text,
        reply_to -> Nullable<Text>,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        ics -> Nullable<Text>,
        ics_method -> Nullable<Text>,
        message_id -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        leased_by -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    followups (id) {
        id -> Text,
        case_id -> Text,
        stage -> Text,
        rule -> Text,
        due_at -> Timestamp,
        status -> Text,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    visits (id) {
        id -> Text,
        case_id -> Text,
        starts_at -> Timestamp,
        duration_minutes -> Integer,
        place -> Text,
        note -> Nullable<Text>,
        uid -> Text,
        sequence -> Integer,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    digests (user_id, day) {
        user_id -> Text,
        day -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    case_areas (case_id, area_slug) {
        case_id -> Text,
        area_slug -> Text,
        position -> Integer,
    }
}

diesel::table! {
    case_interests (case_id, interest) {
        case_id -> Text,
        interest -> Text,
    }
}

diesel::table! {
    case_events (id) {
        id -> Text,
        case_id -> Text,
        at -> Timestamp,
        kind -> Text,
        actor_id -> Nullable<Text>,
        data -> Text,
    }
}

diesel::table! {
    ambassadors (user_id) {
        user_id -> Text,
        organisation -> Text,
        kind -> Text,
        phone -> Nullable<Text>,
        paused -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ambassador_areas (user_id, area_slug) {
        user_id -> Text,
        area_slug -> Text,
    }
}

diesel::table! {
    ambassador_interests (user_id, interest) {
        user_id -> Text,
        interest -> Text,
    }
}

diesel::table! {
    referrals (id) {
        id -> Text,
        case_id -> Text,
        ambassador_id -> Text,
        message -> Text,
        state -> Text,
        decline_reason -> Nullable<Text>,
        report -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        reminded_at -> Nullable<Timestamp>,
        flagged_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    signin_links (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        referral_id -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    welcome_packages (area_slug) {
        area_slug -> Text,
        items -> Text,
        deliverer -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    case_packages (case_id) {
        case_id -> Text,
        area_slug -> Text,
        items -> Text,
        method -> Text,
        ambassador_id -> Nullable<Text>,
        note -> Nullable<Text>,
        prepared_by -> Text,
        prepared_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
        delivered_by -> Nullable<Text>,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(ambassadors -> users (user_id));
diesel::joinable!(referrals -> cases (case_id));
diesel::table! {
    idempotency_keys (token_id, idem_key) {
        token_id -> Text,
        idem_key -> Text,
        fingerprint -> Text,
        case_id -> Nullable<Text>,
        status -> Nullable<Integer>,
        response_body -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(case_areas -> cases (case_id));
diesel::joinable!(persons -> cases (case_id));
diesel::joinable!(case_interests -> cases (case_id));
diesel::joinable!(case_events -> cases (case_id));
diesel::joinable!(outbox -> cases (case_id));
diesel::joinable!(followups -> cases (case_id));
diesel::joinable!(visits -> cases (case_id));

diesel::allow_tables_to_appear_in_same_query!(
    persons,
    users,
    areas,
    sessions,
    setup_links,
    api_tokens,
    mfa_totp,
    mfa_recovery_codes,
    security_events,
    resumable_posts,
    cases,
    case_areas,
    case_interests,
    case_events,
    outbox,
    followups,
    visits,
    digests,
    ambassadors,
    ambassador_areas,
    ambassador_interests,
    referrals,
    signin_links,
    welcome_packages,
    case_packages,
    erasures,
    access_log,
    idempotency_keys,
);

diesel::table! {
    absences (user_id) {
        user_id -> Text,
        substitute_id -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    absence_cases (user_id, case_id) {
        user_id -> Text,
        case_id -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(absences, absence_cases);
diesel::allow_tables_to_appear_in_same_query!(absences, users);
diesel::allow_tables_to_appear_in_same_query!(absence_cases, cases);

diesel::table! {
    surveys (id) {
        id -> Text,
        case_id -> Text,
        kind -> Text,
        token_hash -> Text,
        reminder_token_hash -> Nullable<Text>,
        sent_at -> Timestamp,
        reminded_at -> Nullable<Timestamp>,
        closes_at -> Timestamp,
        answered_at -> Nullable<Timestamp>,
        scores -> Nullable<Text>,
        helped -> Nullable<Text>,
        residence -> Nullable<Text>,
        comment -> Nullable<Text>,
    }
}

diesel::joinable!(surveys -> cases (case_id));
diesel::allow_tables_to_appear_in_same_query!(surveys, cases);
diesel::allow_tables_to_appear_in_same_query!(surveys, persons);
diesel::allow_tables_to_appear_in_same_query!(surveys, case_areas);

diesel::table! {
    mover_links (token_hash) {
        token_hash -> Text,
        case_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(mover_links -> cases (case_id));
diesel::allow_tables_to_appear_in_same_query!(mover_links, cases);
diesel::allow_tables_to_appear_in_same_query!(mover_links, persons);

diesel::table! {
    events (id) {
        id -> Text,
        title -> Text,
        description -> Text,
        starts_at -> Timestamp,
        duration_minutes -> Integer,
        place -> Text,
        areas -> Text,
        capacity -> Integer,
        languages -> Text,
        signup_deadline -> Timestamp,
        open_slug -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        reminded_at -> Nullable<Timestamp>,
        attendance_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    campaigns (slug) {
        slug -> Text,
        name -> Text,
        target_areas -> Text,
        target_group -> Text,
        channel -> Text,
        starts_on -> Nullable<Text>,
        ends_on -> Nullable<Text>,
        budget -> Nullable<BigInt>,
        notes -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    event_guests (id) {
        id -> Text,
        event_id -> Text,
        case_id -> Nullable<Text>,
        user_id -> Nullable<Text>,
        name -> Nullable<Text>,
        email -> Nullable<Text>,
        language -> Text,
        area -> Nullable<Text>,
        token_hash -> Text,
        state -> Text,
        adults -> Integer,
        children -> Integer,
        needs -> Nullable<Text>,
        invited_at -> Timestamp,
        signed_up_at -> Nullable<Timestamp>,
        came -> Nullable<Bool>,
    }
}

diesel::joinable!(event_guests -> events (event_id));
diesel::allow_tables_to_appear_in_same_query!(events, event_guests);
diesel::allow_tables_to_appear_in_same_query!(event_guests, cases);
diesel::allow_tables_to_appear_in_same_query!(event_guests, case_areas);
diesel::allow_tables_to_appear_in_same_query!(event_guests, persons);

diesel::table! {
    campaign_visits (slug, day) {
        slug -> Text,
        day -> Text,
        visits -> Integer,
    }
}

diesel::allow_tables_to_appear_in_same_query!(campaigns, campaign_visits);
diesel::allow_tables_to_appear_in_same_query!(campaigns, cases);
