namespace LlmTr.SharedKernel;

/// <summary>
/// One error the public API can answer with: its HTTP status, OpenAI error type and code, and when it happens (in
/// English and Turkish, as the documentation shows it).
/// </summary>
public sealed record ApiErrorDefinition(int Status, string Type, string? Code, string WhenEn, string WhenTr)
{
    /// <summary>This error with a message for this occasion and, for a field's fault, the field in <c>param</c>.</summary>
    public OpenAiError With(string message, string? param = null) => new(message, Type, param, Code);
}

/// <summary>
/// Every error /v1 answers with. Keys, Catalog and the gateway build their errors from these definitions, and the
/// documentation's error table is rendered from <see cref="All"/>: an error cannot be added without being documented.
/// They live here rather than in one module because three modules answer /v1 requests.
/// </summary>
public static class ApiErrors
{
    public static readonly ApiErrorDefinition InvalidParameter = new(400, OpenAiErrorTypes.InvalidRequest, null,
        "A field is missing, has the wrong type or is out of range; `param` names it (for example `messages[2].content`).",
        "Bir alan eksik, türü yanlış ya da aralık dışında; `param` alanın adını verir (örneğin `messages[2].content`).");

    public static readonly ApiErrorDefinition InvalidJson = new(400, OpenAiErrorTypes.InvalidRequest, "invalid_json",
        "The body is not valid JSON, or not a JSON object.",
        "Gövde geçerli bir JSON değil ya da bir JSON nesnesi değil.");

    public static readonly ApiErrorDefinition ModelNotFound = new(400, OpenAiErrorTypes.InvalidRequest, "model_not_found",
        "The request names a model id that is not in the catalog.",
        "İstek, katalogda olmayan bir model kimliği içeriyor.");

    public static readonly ApiErrorDefinition UnsupportedFeature = new(400, OpenAiErrorTypes.InvalidRequest, "unsupported_feature",
        "The model lacks something the request needs: an operation (chat, embeddings, image generation, speech, transcription), streaming, tools, JSON mode, structured output, an input or an output modality, or an option its provider's protocol cannot carry.",
        "Model, isteğin gerektirdiği bir özelliği desteklemiyor: bir işlem (sohbet, embedding, görsel üretimi, konuşma, yazıya dökme), akış, araçlar, JSON modu, yapılandırılmış çıktı, bir girdi ya da çıktı kipi, veya sağlayıcısının protokolünün taşıyamadığı bir seçenek.");

    public static readonly ApiErrorDefinition ContextLengthExceeded = new(400, OpenAiErrorTypes.InvalidRequest, "context_length_exceeded",
        "The prompt plus the requested `max_tokens` is longer than the model's context length; the message gives both counts.",
        "İstem ile istenen `max_tokens` toplamı modelin bağlam uzunluğunu aşıyor; mesaj iki sayıyı da verir.");

    public static readonly ApiErrorDefinition ProviderRejectedRequest = new(400, OpenAiErrorTypes.InvalidRequest, "provider_rejected_request",
        "The model's provider refused the request as invalid; the message carries the provider's reason.",
        "Modelin sağlayıcısı isteği geçersiz saydı; mesaj sağlayıcının gerekçesini taşır.");

    public static readonly ApiErrorDefinition InvalidApiKey = new(401, OpenAiErrorTypes.Authentication, "invalid_api_key",
        "The API key is missing, malformed, unknown, revoked or expired.",
        "API anahtarı yok, biçimi bozuk, bilinmiyor, iptal edilmiş ya da süresi dolmuş.");

    public static readonly ApiErrorDefinition InsufficientCredits = new(402, OpenAiErrorTypes.InsufficientCredits, "insufficient_credits",
        "The account's credit balance is zero or less, or the key has reached its total or monthly spend limit.",
        "Hesabın kredi bakiyesi sıfır ya da altında, veya anahtar toplam ya da aylık harcama sınırına ulaştı.");

    public static readonly ApiErrorDefinition ModelNotAvailable = new(403, OpenAiErrorTypes.Forbidden, "model_not_available",
        "The model exists but is private or disabled, or its provider is disabled.",
        "Model var ama özel ya da devre dışı, veya sağlayıcısı devre dışı.");

    public static readonly ApiErrorDefinition ModelNotAllowed = new(403, OpenAiErrorTypes.Forbidden, "model_not_allowed",
        "The key's scope refuses the model: it is not among the key's allowed models, or the key is 'Turkey only' and the model processes data abroad.",
        "Anahtarın kapsamı modele izin vermiyor: model anahtarın izinli modelleri arasında değil, ya da anahtar 'Yalnızca Türkiye' ve model veriyi yurt dışında işliyor.");

    public static readonly ApiErrorDefinition ResidencyNotSatisfied = new(403, OpenAiErrorTypes.Forbidden, "residency_not_satisfied",
        "The request's `llmtr` object demands residency `TR` or retention `none`, and the model's data path does not satisfy it; the message names the path. Fallback models that do not satisfy it are skipped.",
        "İsteğin `llmtr` nesnesi `TR` yerleşimi ya da `none` saklama şartı koyuyor ve modelin veri yolu bunu karşılamıyor; mesaj veri yolunu adlandırır. Şartı karşılamayan yedek modeller atlanır.");

    public static readonly ApiErrorDefinition UnknownModel = new(404, OpenAiErrorTypes.InvalidRequest, "model_not_found",
        "`GET /v1/models/{id}` names a model that is not listed.",
        "`GET /v1/models/{id}` listelenmeyen bir model istiyor.");

    public static readonly ApiErrorDefinition UnknownUrl = new(404, OpenAiErrorTypes.InvalidRequest, "unknown_url",
        "The address under `/v1` is not an endpoint LLMTR serves (check the method and the path).",
        "`/v1` altındaki adres LLMTR'nin sunduğu bir uç nokta değil (yöntemi ve yolu kontrol edin).");

    public static readonly ApiErrorDefinition ResponseNotStored = new(404, OpenAiErrorTypes.InvalidRequest, "response_not_found",
        "`GET`, `DELETE` or `cancel` on `/v1/responses/{id}`: LLMTR stores no responses, so there is none to read, delete or cancel.",
        "`/v1/responses/{id}` üzerinde `GET`, `DELETE` ya da `cancel`: LLMTR yanıtları saklamaz; okunacak, silinecek ya da iptal edilecek bir yanıt yoktur.");

    public static readonly ApiErrorDefinition RequestTooLarge = new(413, OpenAiErrorTypes.InvalidRequest, "request_too_large",
        "The request body is larger than the gateway accepts.",
        "İstek gövdesi gateway'in kabul ettiği boyuttan büyük.");

    public static readonly ApiErrorDefinition FileTooLarge = new(413, OpenAiErrorTypes.InvalidRequest, "file_too_large",
        "One uploaded file, or one inline image, audio clip or file in a message, is larger than the gateway accepts for a single item; `param` names it.",
        "Yüklenen bir dosya ya da bir mesajdaki satır içi bir görsel, ses kaydı veya dosya, gateway'in tek bir öğe için kabul ettiği boyuttan büyük; `param` öğeyi adlandırır.");

    public static readonly ApiErrorDefinition UnsupportedContentType = new(415, OpenAiErrorTypes.InvalidRequest, "unsupported_content_type",
        "A JSON endpoint was called without `Content-Type: application/json` (a charset such as `; charset=utf-8` is fine).",
        "Bir JSON uç noktası `Content-Type: application/json` olmadan çağrıldı (`; charset=utf-8` gibi bir karakter kümesi eklemek sorun değil).");

    public static readonly ApiErrorDefinition RateLimitExceeded = new(429, OpenAiErrorTypes.RateLimitExceeded, "rate_limit_exceeded",
        "The key's requests-per-minute limit is spent, or the model's provider is rate-limiting; `Retry-After` says when to try again.",
        "Anahtarın dakikalık istek sınırı doldu ya da modelin sağlayıcısı istekleri sınırlıyor; `Retry-After` ne zaman yeniden deneneceğini söyler.");

    public static readonly ApiErrorDefinition InternalError = new(500, OpenAiErrorTypes.Internal, "internal_error",
        "The gateway itself failed; the message gives only the request id to quote to support.",
        "Gateway'in kendisi hata verdi; mesaj yalnızca destek ekibine iletilecek istek kimliğini içerir.");

    public static readonly ApiErrorDefinition ProviderError = new(502, OpenAiErrorTypes.Provider, "provider_error",
        "The provider failed (an HTTP 5xx, or an error reported inside its stream), or is not configured.",
        "Sağlayıcı hata verdi (HTTP 5xx ya da akış içinde bildirilen bir hata) veya yapılandırılmamış.");

    public static readonly ApiErrorDefinition ProviderUnreachable = new(502, OpenAiErrorTypes.Provider, "provider_unreachable",
        "No connection to the provider could be made.",
        "Sağlayıcıya bağlantı kurulamadı.");

    public static readonly ApiErrorDefinition ProviderTimeout = new(502, OpenAiErrorTypes.Provider, "provider_timeout",
        "The provider did not answer in time, or a stream stayed silent longer than allowed.",
        "Sağlayıcı zamanında yanıt vermedi ya da akış izin verilenden uzun süre sessiz kaldı.");

    public static readonly ApiErrorDefinition ProviderBadResponse = new(502, OpenAiErrorTypes.Provider, "provider_bad_response",
        "The provider's answer could not be read.",
        "Sağlayıcının yanıtı okunamadı.");

    public static readonly ApiErrorDefinition ProviderStreamInterrupted = new(502, OpenAiErrorTypes.Provider, "provider_stream_interrupted",
        "The provider ended a stream before the answer was complete.",
        "Sağlayıcı akışı yanıt tamamlanmadan kesti.");

    public static readonly ApiErrorDefinition ProviderAuthError = new(502, OpenAiErrorTypes.Provider, "provider_auth_error",
        "The provider refused LLMTR's own credentials: a fault on LLMTR's side, not in your request.",
        "Sağlayıcı LLMTR'nin kendi kimlik bilgilerini reddetti: sorun isteğinizde değil, LLMTR tarafında.");

    public static readonly ApiErrorDefinition ServiceUnavailable = new(503, OpenAiErrorTypes.Unavailable, "usage_buffer_full",
        "LLMTR cannot record usage right now: its database has been unreachable long enough for the usage buffer of the serving host to fill up (`Billing:UsageQueueCapacity`). The request was not served and nothing was charged; retry after `Retry-After`.",
        "LLMTR şu anda kullanımı kaydedemiyor: veritabanına uzun süredir ulaşılamadığı için isteği karşılayan sunucunun kullanım tamponu doldu (`Billing:UsageQueueCapacity`). İstek işlenmedi, ücret alınmadı; `Retry-After` süresinden sonra yeniden deneyin.");

    public static readonly ApiErrorDefinition RequestBodiesBusy = new(503, OpenAiErrorTypes.Unavailable, "request_bodies_busy",
        "The serving host already holds as many request bodies in memory as it may (`Gateway:MaxBufferedBodyBytes`) and none was freed in time. The request was not served and nothing was charged; retry after `Retry-After`.",
        "İsteği karşılayan sunucu bellekte tutabileceği kadar istek gövdesini zaten tutuyor (`Gateway:MaxBufferedBodyBytes`) ve zamanında yer açılmadı. İstek işlenmedi, ücret alınmadı; `Retry-After` süresinden sonra yeniden deneyin.");

    /// <summary>Every definition, in the order the documentation lists them (by status).</summary>
    public static IReadOnlyList<ApiErrorDefinition> All { get; } =
    [
        InvalidParameter, InvalidJson, ModelNotFound, UnsupportedFeature, ContextLengthExceeded, ProviderRejectedRequest,
        InvalidApiKey,
        InsufficientCredits,
        ModelNotAvailable, ModelNotAllowed, ResidencyNotSatisfied,
        UnknownModel, UnknownUrl, ResponseNotStored,
        RequestTooLarge, FileTooLarge,
        UnsupportedContentType,
        RateLimitExceeded,
        InternalError,
        ProviderError, ProviderUnreachable, ProviderTimeout, ProviderBadResponse, ProviderStreamInterrupted, ProviderAuthError,
        ServiceUnavailable,
        RequestBodiesBusy,
    ];
}
