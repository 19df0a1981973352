extension Reason {
    /// One sentence for an operations-centre operator, in `language`, with the measured
    /// values filled in: "Разрешение 1280×720 ниже требуемого 1920×1080". The stream is
    /// named when it matters: for a probe failure of one of two probed streams, and for
    /// anything seen on the sub-stream.
    public func text(in language: Language) -> String {
        let sentence = ReasonText(reason: self, language: language).sentence
        guard let stream, code.isProbeFailure || stream == .sub else { return sentence }
        return "\(sentence) — \(stream.name(in: language))"
    }
}

extension Verdict {
    /// One line: the state, then every reason, most severe first.
    /// "Не соответствует требованиям. Разрешение 1280×720 ниже требуемого 1920×1080."
    public func summary(in language: Language) -> String {
        let state = state.name(in: language)
        let sentences = [state.prefix(1).uppercased() + state.dropFirst()] + reasons.map { $0.text(in: language) }
        return sentences.map { $0.hasSuffix("?") || $0.hasSuffix(".") ? $0 : $0 + "." }.joined(separator: " ")
    }
}

extension CameraState {
    /// The state as operators say it.
    public func name(in language: Language) -> String {
        switch (self, language) {
        case (.up, .ru): "работает"
        case (.up, .kk): "жұмыс істейді"
        case (.up, .en): "up"
        case (.degraded, .ru): "не соответствует требованиям"
        case (.degraded, .kk): "талаптарға сәйкес емес"
        case (.degraded, .en): "non-compliant"
        case (.down, .ru): "не работает"
        case (.down, .kk): "жұмыс істемейді"
        case (.down, .en): "down"
        }
    }
}

extension StreamRole {
    /// The stream as camera and recorder menus name it.
    public func name(in language: Language) -> String {
        switch (self, language) {
        case (.main, .ru): "основной поток"
        case (.main, .kk): "негізгі ағын"
        case (.main, .en): "main stream"
        case (.sub, .ru): "дополнительный поток"
        case (.sub, .kk): "қосымша ағын"
        case (.sub, .en): "sub-stream"
        }
    }
}

/// Builds the sentence of one reason in one language from its parameters. A missing
/// parameter shows as "?" rather than hiding the reason.
struct ReasonText {
    let reason: Reason
    let language: Language

    /// Every code is listed here, so a new one does not compile until it is placed in
    /// a group; each group's switch names its codes and falls back to the raw code
    /// (which the tests reject) rather than to another code's text.
    var sentence: String {
        switch reason.code {
        case .probeInvalidURL, .probeDNS, .probeRefused, .probeUnreachable, .probeTimeoutResolve,
             .probeTimeoutConnect, .probeTimeoutHandshake, .probeTimeoutFirstFrame, .probeTimeout, .probeTLS,
             .probeUnauthorized, .probeForbidden, .probeNotFound, .probeSessionLimit, .probeProtocol, .probeRedirect, .probeNoVideo,
             .probeUnsupportedCodec, .probeStalled, .probeUndecodable, .probeCancelled:
            failure
        case .pictureBlack, .pictureUniform, .pictureFrozen, .pictureBlurred:
            picture
        case .codecNotAllowed, .resolutionBelowMinimum, .frameRateBelowMinimum, .frameRateBelowRecommended:
            format
        case .keyframeIntervalTooLong, .keyframeIntervalUnmeasured, .bitrateTooLow:
            encoding
        case .clockSkewWarning, .clockSkewTooLarge:
            clock
        case .streamGaps:
            gaps
        case .archiveTooShort, .archiveGaps, .archiveClock, .archiveUnmeasured:
            archive
        case .cameraAnalog:
            pick("Аналоговая камера — подлежит замене",
                 "Аналогтық камера — ауыстырылуы тиіс",
                 "Analog camera – scheduled for replacement")
        }
    }

    func pick(_ ru: String, _ kk: String, _ en: String) -> String {
        switch language {
        case .ru: ru
        case .kk: kk
        case .en: en
        }
    }

    // MARK: Parameters

    func double(_ key: String) -> Double? { reason.parameters[key].flatMap(Double.init) }

    func number(_ key: String, decimals: Int = 2, scale: Double = 1) -> String {
        double(key).map { language.number($0 / scale, decimals: decimals) } ?? "?"
    }

    func text(_ key: String) -> String { reason.parameters[key] ?? "?" }

    private var fps: String { pick("кадр/с", "кадр/с", "fps") }
    private var seconds: String { pick("с", "с", "s") }
    private var kbits: String { pick("кбит/с", "кбит/с", "kbit/s") }

    // MARK: Sentences

    private var failure: String {
        switch reason.code {
        case .probeInvalidURL:
            pick("Неверный адрес видеопотока в настройках",
                 "Баптаулардағы бейне ағынының мекенжайы қате",
                 "The stream address in the settings is invalid")
        case .probeDNS:
            pick("Адрес камеры не найден в сети (ошибка DNS)",
                 "Камераның мекенжайы желіден табылмады (DNS қатесі)",
                 "The camera's address cannot be found on the network (DNS error)")
        case .probeRefused:
            pick("Камера отклоняет подключение (порт закрыт)",
                 "Камера қосылуды қабылдамайды (порт жабық)",
                 "The camera refuses the connection (port closed)")
        case .probeUnreachable:
            pick("Камера недоступна по сети",
                 "Камера желі арқылы қолжетімсіз",
                 "The camera cannot be reached over the network")
        case .probeTimeoutResolve:
            pick("Нет ответа при поиске адреса камеры (DNS)",
                 "Камераның мекенжайын іздегенде жауап болмады (DNS)",
                 "No answer when looking up the camera's address (DNS)")
        case .probeTimeoutConnect:
            pick("Камера не отвечает на подключение",
                 "Камера қосылуға жауап бермейді",
                 "The camera does not answer the connection")
        case .probeTimeoutHandshake:
            pick("Камера или видеорегистратор принимает подключение, но не отвечает (возможно, перегружен)",
                 "Камера немесе бейнетіркегіш қосылуды қабылдайды, бірақ жауап бермейді (шамадан тыс жүктелген болуы мүмкін)",
                 "The camera or recorder accepts the connection but does not answer (possibly overloaded)")
        case .probeTimeoutFirstFrame:
            pick("Видеопоток открыт, но изображение не приходит",
                 "Бейне ағыны ашылды, бірақ кескін келмейді",
                 "The stream opened but no picture arrives")
        case .probeTimeout:
            pick("Камера не ответила вовремя",
                 "Камера уақытында жауап бермеді",
                 "The camera did not answer in time")
        case .probeTLS:
            pick("Ошибка защищённого соединения (TLS)",
                 "Қорғалған қосылым қатесі (TLS)",
                 "The secure connection (TLS) failed")
        case .probeUnauthorized:
            pick("Неверный логин или пароль камеры (401)",
                 "Камераның логині немесе құпиясөзі қате (401)",
                 "Wrong camera user name or password (401)")
        case .probeForbidden:
            pick("Доступ к видеопотоку запрещён (403)",
                 "Бейне ағынына кіруге тыйым салынған (403)",
                 "Access to the stream is forbidden (403)")
        case .probeNotFound:
            pick("Видеопоток не найден: проверьте номер канала (404)",
                 "Бейне ағыны табылмады: арна нөмірін тексеріңіз (404)",
                 "Stream not found: check the channel number (404)")
        case .probeSessionLimit:
            pick("Видеорегистратор отказал: слишком много одновременных подключений",
                 "Бейнетіркегіш бас тартты: бір мезгілдегі қосылымдар тым көп",
                 "The recorder refused: too many simultaneous connections")
        case .probeProtocol:
            pick("Камера ответила ошибкой или не передаёт видео",
                 "Камера қатемен жауап берді немесе бейне жібермейді",
                 "The camera answered with an error or sends no video")
        case .probeRedirect:
            pick("Камера перенаправляет на другой адрес, куда пароль не передаётся (или перенаправления по кругу): укажите в настройках конечный адрес",
                 "Камера басқа мекенжайға бағыттайды, оған құпиясөз жіберілмейді (немесе бағыттау тұйықталған): баптауларда соңғы мекенжайды көрсетіңіз",
                 "The camera redirects to another address, where its password is not sent (or redirects in a loop): configure the final address")
        case .probeNoVideo:
            pick("В потоке нет видео",
                 "Ағында бейне жоқ",
                 "The stream carries no video")
        case .probeUnsupportedCodec:
            pick("Формат видео не поддерживается",
                 "Бейне форматына қолдау көрсетілмейді",
                 "The video format is not supported")
        case .probeStalled:
            pick("Видеопоток прервался: камера перестала передавать изображение",
                 "Бейне ағыны үзілді: камера кескін жіберуді тоқтатты",
                 "The stream stopped: the camera stopped sending pictures")
        case .probeUndecodable:
            pick("Изображение не удаётся раскодировать",
                 "Кескінді декодтау мүмкін болмады",
                 "The picture cannot be decoded")
        case .probeCancelled:
            pick("Проверка прервана (служба останавливается): состояние камеры неизвестно",
                 "Тексеру тоқтатылды (қызмет тоқтап жатыр): камераның күйі белгісіз",
                 "The check was interrupted (service stopping): camera state unknown")
        default:
            reason.code.rawValue
        }
    }

    private var picture: String {
        switch reason.code {
        case .pictureBlack:
            pick("Объектив закрыт или камера не работает (чёрное изображение)",
                 "Объектив жабық немесе камера істемейді (қара кескін)",
                 "Lens covered or camera dead (black picture)")
        case .pictureUniform:
            pick("Нет сигнала с камеры (однотонное изображение)",
                 "Камерадан сигнал жоқ (бір түсті кескін)",
                 "No signal from the camera (flat single-colour picture)")
        case .pictureFrozen:
            pick("Изображение заморожено (картинка не меняется)",
                 "Кескін қатып қалған (сурет өзгермейді)",
                 "The picture is frozen (it does not change)")
        case .pictureBlurred:
            pick("Изображение размыто: объектив не в фокусе, запотел или загрязнён",
                 "Кескін бұлыңғыр: объектив фокусталмаған, буланған немесе ластанған",
                 "The picture is blurred: lens out of focus, fogged or dirty")
        default:
            reason.code.rawValue
        }
    }

    /// Codec, resolution and frame rate. Kazakh keeps the numbers in the nominative
    /// ("кемінде 1920×1080"): a case ending after a number follows how the number is
    /// pronounced (1080 → "мың сексен" → "-нен"), which the text cannot know in general.
    private var format: String {
        switch reason.code {
        case .codecNotAllowed:
            let codec = reason.parameters["codec"].map(CodecName.display) ?? "?"
            let allowed = (reason.parameters["allowed"] ?? "?").split(separator: ",").map { CodecName.display(String($0)) }
            return pick("Формат видео \(codec) не допускается: требуется \(allowed.joined(separator: " или "))",
                        "\(codec) бейне форматына рұқсат етілмейді: \(allowed.joined(separator: " немесе ")) қажет",
                        "Video format \(codec) is not allowed: \(allowed.joined(separator: " or ")) required")
        case .resolutionBelowMinimum:
            let measured = "\(text("width"))×\(text("height"))", minimum = "\(text("min_width"))×\(text("min_height"))"
            return pick("Разрешение \(measured) ниже требуемого \(minimum)",
                        "Ажыратымдылық \(measured) талаптан төмен: кемінде \(minimum) болуы керек",
                        "Resolution \(measured) is below the required \(minimum)")
        case .frameRateBelowMinimum:
            let rate = "\(number("frame_rate")) \(fps)", limit = "\(number("limit")) \(fps)"
            return pick("Частота кадров \(rate) ниже требуемой \(limit)",
                        "Кадр жиілігі \(rate) талаптан төмен: кемінде \(limit) болуы керек",
                        "Frame rate \(rate) is below the required \(limit)")
        case .frameRateBelowRecommended:
            let rate = "\(number("frame_rate")) \(fps)", limit = "\(number("limit")) \(fps)"
            return pick("Частота кадров \(rate) ниже рекомендуемой \(limit)",
                        "Кадр жиілігі \(rate) ұсынылғаннан төмен: кемінде \(limit) ұсынылады",
                        "Frame rate \(rate) is below the recommended \(limit)")
        default:
            return reason.code.rawValue
        }
    }

    /// Keyframe interval and bitrate.
    private var encoding: String {
        switch reason.code {
        case .keyframeIntervalTooLong:
            let interval = "\(number("interval")) \(seconds)", limit = "\(number("limit")) \(seconds)"
            return pick("Интервал опорных кадров \(interval) больше допустимых \(limit): видео медленно открывается и перематывается",
                        "Тірек кадрлар аралығы \(interval), ең көбі \(limit) рұқсат етіледі: бейне баяу ашылады, мұрағаттан іздеу баяу",
                        "Keyframe interval \(interval) is longer than the allowed \(limit): video opens and seeks slowly")
        case .keyframeIntervalUnmeasured:
            let span = "\(number("span", decimals: 1)) \(seconds)"
            return pick("Интервал опорных кадров не измерен: проверка (\(span)) короче интервала между опорными кадрами",
                        "Тірек кадрлар аралығы өлшенбеді: тексеру (\(span)) тірек кадрлар аралығынан қысқа",
                        "Keyframe interval not measured: the \(span) check is shorter than the interval between keyframes")
        case .bitrateTooLow:
            let bitrate = "\(kilobits("bitrate")) \(kbits)", limit = "\(kilobits("limit")) \(kbits)"
            return pick("Очень низкий битрейт — \(bitrate) (ожидается не менее \(limit)): возможно, объектив закрыт или изображение пустое",
                        "Бит жылдамдығы өте төмен — \(bitrate) (кемінде \(limit) күтіледі): объектив жабық немесе кескін бос болуы мүмкін",
                        "Very low bitrate, \(bitrate) (at least \(limit) expected): lens covered or blank picture?")
        default:
            return reason.code.rawValue
        }
    }

    private func kilobits(_ key: String) -> String {
        let small = (double(key) ?? 0) < 10_000
        return number(key, decimals: small ? 1 : 0, scale: 1000)
    }

    private var clock: String {
        let skew = double("skew")
        let offset = skew.map { duration(abs($0)) } ?? "?", limit = double("limit").map(duration) ?? "?"
        let fast = (skew ?? 0) >= 0
        if reason.code == .clockSkewTooLarge {
            return pick("Часы камеры \(fast ? "спешат" : "отстают") на \(offset) (допустимо не более \(limit)): время в архиве неверное",
                        "Камера сағаты \(offset) \(fast ? "алға кеткен" : "артта қалған") (ең көбі \(limit) рұқсат етіледі): мұрағаттағы уақыт қате",
                        "Camera clock is \(offset) \(fast ? "fast" : "slow") (at most \(limit) allowed): archive times are wrong")
        }
        return pick("Часы камеры \(fast ? "спешат" : "отстают") на \(offset) (рекомендуется не более \(limit))",
                    "Камера сағаты \(offset) \(fast ? "алға кеткен" : "артта қалған") (ең көбі \(limit) ұсынылады)",
                    "Camera clock is \(offset) \(fast ? "fast" : "slow") (within \(limit) recommended)")
    }

    /// Seconds below two minutes, minutes below two hours, hours below two days, then days:
    /// a camera whose clock reset to 2000 is "9125 сут." off, not "788400000 с".
    func duration(_ seconds: Double) -> String {
        if seconds < 120 { return "\(language.number(seconds, decimals: 1)) \(self.seconds)" }
        if seconds < 7200 { return "\(language.number(seconds / 60, decimals: 1)) \(pick("мин", "мин", "min"))" }
        if seconds < 172_800 { return "\(language.number(seconds / 3600, decimals: 1)) \(pick("ч", "сағ", "h"))" }
        let days = (seconds / 86_400).rounded()
        return "\(language.number(days, decimals: 0)) \(pick("сут.", "тәулік", days == 1 ? "day" : "days"))"
    }

    private var gaps: String {
        let count = reason.parameters["gaps"].flatMap { Int($0) }
        let n = count.map(String.init) ?? "?"
        let longest = reason.parameters["longest_gap"] == nil ? nil : "\(number("longest_gap")) \(seconds)"
        let ru = "Видео идёт с пропусками: \(n) \(Self.russianPlural(count ?? 0, "пропуск", "пропуска", "пропусков")) между кадрами"
        let kk = "Бейне үзілістермен келеді: кадрлар арасында \(n) үзіліс"
        let en = "Video arrives with gaps: \(n) \(count == 1 ? "gap" : "gaps") between frames"
        guard let longest else { return pick(ru, kk, en) }
        return pick(ru + ", самый длинный \(longest)", kk + ", ең ұзағы \(longest)", en + ", longest \(longest)")
    }

    /// 1 пропуск, 2 пропуска, 5 пропусков, 11 пропусков, 21 пропуск.
    static func russianPlural(_ n: Int, _ one: String, _ few: String, _ many: String) -> String {
        let tens = abs(n) % 100, units = abs(n) % 10
        if units == 1 && tens != 11 { return one }
        if (2...4).contains(units) && !(12...14).contains(tens) { return few }
        return many
    }
}
